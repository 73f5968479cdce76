// Via (RFC 3261 §20.42, §25.1; RFC 3581 rport; RFC 5118 IPv6):
// Via = ( "Via" / "v" ) HCOLON via-parm *(COMMA via-parm)
// via-parm = sent-protocol LWS sent-by *( SEMI via-params ),
// sent-protocol = protocol-name SLASH protocol-version SLASH transport (SLASH = SWS "/" SWS).
import { HOST_CHARS, TOKEN_CHARS } from './chars.js';
import { ParseErrorCode } from './errors.js';
import { isIPv6 } from './ipv6.js';
import { buildParams, getParam, scanParams } from './params.js';
import { fail, parseDigits } from './text.js';
import type { HeaderParams, Via } from './types.js';

const CODE = ParseErrorCode.BadVia;

function bad(what: string): never {
  return fail(CODE, `bad Via: ${what}`, 'via');
}

function skipWs(s: string, i: number): number {
  let c = s.charCodeAt(i);
  while (c === 32 || c === 9) c = s.charCodeAt(++i);
  return i;
}

function tokenEnd(s: string, i: number): number {
  const tok = TOKEN_CHARS;
  let c = s.charCodeAt(i);
  while (c < 128 && tok[c] === 1) c = s.charCodeAt(++i);
  return i;
}

/** The token `s[start, end)` upper-cased; the usual transports come back as literals. */
function transportName(s: string, start: number, end: number): string {
  const len = end - start;
  const a = s.charCodeAt(start) & 0xdf;
  const b = s.charCodeAt(start + 1) & 0xdf;
  const c = len > 2 ? s.charCodeAt(start + 2) & 0xdf : 0;
  if (len === 3) {
    if (a === 85 && b === 68 && c === 80) return 'UDP';
    if (a === 84 && b === 67 && c === 80) return 'TCP';
    if (a === 84 && b === 76 && c === 83) return 'TLS';
    if (a === 87 && b === 83 && c === 83) return 'WSS';
  } else if (len === 2 && a === 87 && b === 83) return 'WS';
  return s.substring(start, end).toUpperCase();
}

/** True when `s[i, i + 8)` is "SIP/2.0/" (the usual sent-protocol, checked without a call). */
function isSip20(s: string, i: number): boolean {
  return (
    s.charCodeAt(i) === 83 &&
    s.charCodeAt(i + 1) === 73 &&
    s.charCodeAt(i + 2) === 80 &&
    s.charCodeAt(i + 3) === 47 &&
    s.charCodeAt(i + 4) === 50 &&
    s.charCodeAt(i + 5) === 46 &&
    s.charCodeAt(i + 6) === 48 &&
    s.charCodeAt(i + 7) === 47
  );
}

/**
 * A sent-protocol other than "SIP/2.0/" written so, from `i` up to the SLASH before the
 * transport: protocol-name SLASH protocol-version, the name upper-cased. `out.next` is the
 * index of the transport.
 */
function otherProtocol(s: string, i: number, out: { next: number }): string {
  const ne = tokenEnd(s, i);
  if (ne === i) bad('protocol name');
  let j = skipWs(s, ne);
  if (s.charCodeAt(j) !== 47) bad('sent-protocol');
  const vs = skipWs(s, j + 1);
  const ve = tokenEnd(s, vs);
  if (ve === vs) bad('protocol version');
  j = skipWs(s, ve);
  if (s.charCodeAt(j) !== 47) bad('sent-protocol');
  out.next = skipWs(s, j + 1);
  return s.substring(i, ne).toUpperCase() + '/' + s.substring(vs, ve);
}

/**
 * Parses the via-parms of one Via field value `s[start, end)`: into `out` and returns the
 * first, or, without `out`, returns the first and leaves the rest. An empty element (`a,,b`,
 * a trailing comma) is an error.
 */
export function parseViaList(s: string, start: number, end: number, out?: Via[]): Via {
  const hostChars = HOST_CHARS;
  let first: Via | undefined;
  let i = skipWs(s, start);
  for (;;) {
    // sent-protocol = protocol-name SLASH protocol-version SLASH transport
    let protocol: string;
    let t: number;
    if (isSip20(s, i)) {
      protocol = 'SIP/2.0';
      t = i + 8;
    } else {
      const next = { next: 0 };
      protocol = otherProtocol(s, i, next);
      t = next.next;
    }
    i = tokenEnd(s, t);
    if (i === t) bad('transport');
    const transport = transportName(s, t, i);
    const hs = skipWs(s, i);
    if (hs === i || hs >= end) bad('no space before sent-by');
    i = hs;
    let host: string;
    let c = s.charCodeAt(i);
    if (c === 91) {
      const close = s.indexOf(']', i);
      if (close < 0 || close >= end || !isIPv6(s.substring(i + 1, close))) bad('IPv6 reference');
      host = s.substring(i, close + 1).toLowerCase();
      i = close + 1;
    } else {
      let upper = false;
      while (c < 128 && hostChars[c] === 1) {
        if (c <= 90 && c >= 65) upper = true;
        c = s.charCodeAt(++i);
      }
      if (i === hs) bad('host');
      host = upper ? s.substring(hs, i).toLowerCase() : s.substring(hs, i);
    }
    let port: number | undefined;
    let j = skipWs(s, i);
    if (s.charCodeAt(j) === 58) {
      j = skipWs(s, j + 1);
      let n = 0;
      let pe = j;
      for (c = s.charCodeAt(pe); c >= 48 && c <= 57 && pe < end; c = s.charCodeAt(++pe)) {
        n = n * 10 + c - 48;
      }
      if (pe === j || pe - j > 5 || n > 65535) bad('port');
      port = n;
      i = pe;
    }
    const ranges: number[] = [];
    i = scanParams(s, i, end, ranges, CODE, 'via', true);
    const via = new ViaValue(protocol, transport, host, port, s, ranges);
    if (out === undefined) return via;
    out.push(via);
    first ??= via;
    if (i >= end) return first;
    i = skipWs(s, i + 1); // past the comma
    if (i >= end || s.charCodeAt(i) === 44) bad('empty element in the Via list');
  }
}

/** Parses one via-parm. */
export function parseVia(value: string): Via {
  const out: Via[] = [];
  parseViaList(value, 0, value.length, out);
  if (out.length !== 1) bad('more than one via-parm');
  return out[0]!;
}

/**
 * One via-parm. Protocol, transport and sent-by are read with the header; the parameters are
 * located then and each one is decoded on first access (most readers want the branch only).
 * A malformed rport, ttl or a valueless branch/received/maddr throws SipParseError there.
 */
class ViaValue implements Via {
  // Declared fields assigned in the constructor in one order (no class-field initialisers).
  declare readonly protocol: string;
  declare readonly transport: string;
  declare readonly host: string;
  declare readonly port: number | undefined;
  declare private readonly src: string;
  declare private readonly ranges: readonly number[];
  declare private cParams: HeaderParams | undefined;

  constructor(
    protocol: string,
    transport: string,
    host: string,
    port: number | undefined,
    s: string,
    ranges: readonly number[],
  ) {
    this.protocol = protocol;
    this.transport = transport;
    this.host = host;
    this.port = port;
    this.src = s;
    this.ranges = ranges;
    this.cParams = undefined;
  }

  private valued(name: string): string | undefined {
    const v = getParam(this.src, this.ranges, name);
    if (v === null) bad(`${name} without a value`);
    return v;
  }

  get branch(): string | undefined {
    return this.valued('branch');
  }

  /** RFC 5118 §4.5: received with or without [ ]; the bare address. */
  get received(): string | undefined {
    const r = this.valued('received');
    return r !== undefined && r.charCodeAt(0) === 91 ? r.substring(1, r.length - 1) : r;
  }

  get rport(): number | true | undefined {
    const rp = getParam(this.src, this.ranges, 'rport');
    if (rp === null) return true;
    if (rp === undefined) return undefined;
    const n = rp.length <= 5 ? parseDigits(rp, 0, rp.length) : -1;
    if (n < 0 || n > 65535) bad('rport');
    return n;
  }

  get maddr(): string | undefined {
    return this.valued('maddr');
  }

  get ttl(): number | undefined {
    const t = getParam(this.src, this.ranges, 'ttl');
    if (t === undefined) return undefined;
    const n = t === null || t.length > 3 ? -1 : parseDigits(t, 0, t.length);
    if (n < 0 || n > 255) bad('ttl');
    return n;
  }

  get params(): HeaderParams {
    return (this.cParams ??= buildParams(this.src, this.ranges));
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      protocol: this.protocol,
      transport: this.transport,
      host: this.host,
      port: this.port,
      params: this.params,
    };
    for (const k of ['branch', 'received', 'rport', 'maddr', 'ttl'] as const) {
      try {
        out[k] = this[k];
      } catch {
        out[k] = undefined;
      }
    }
    return out;
  }
}
