// Via (RFC 3261 §20.42, §25.1; RFC 3581 rport; RFC 5118 IPv6):
// Via = ( "Via" / "v" ) HCOLON via-parm *(COMMA via-parm)
// via-parm = sent-protocol LWS sent-by *( SEMI via-params ),
// sent-protocol = protocol-name SLASH protocol-version SLASH transport (SLASH = SWS "/" SWS).
import { HOST_CHARS, TOKEN_CHARS } from './chars.js';
import { ParseErrorCode } from './errors.js';
import { isIPv6 } from './ipv6.js';
import { buildParams, getParam, scanParams } from './params.js';
import { sourceOf, type Codes, type Source } from './source.js';
import { fail, parseDigits } from './text.js';
import type { HeaderParams, Via } from './types.js';

const CODE = ParseErrorCode.BadVia;

function bad(what: string): never {
  return fail(CODE, `bad Via: ${what}`, 'via');
}

function skipWs(b: Codes, i: number): number {
  let c = b[i]!;
  while (c === 32 || c === 9) c = b[++i]!;
  return i;
}

function tokenEnd(b: Codes, i: number): number {
  const tok = TOKEN_CHARS;
  let c = b[i]!;
  while (c < 128 && tok[c] === 1) c = b[++i]!;
  return i;
}

/** The token `src[start, end)` upper-cased; the usual transports come back as literals. */
function transportName(src: Source, start: number, end: number): string {
  const b = src.b;
  const len = end - start;
  const x = b[start]! & 0xdf;
  const y = b[start + 1]! & 0xdf;
  const z = len > 2 ? b[start + 2]! & 0xdf : 0;
  if (len === 3) {
    if (x === 85 && y === 68 && z === 80) return 'UDP';
    if (x === 84 && y === 67 && z === 80) return 'TCP';
    if (x === 84 && y === 76 && z === 83) return 'TLS';
    if (x === 87 && y === 83 && z === 83) return 'WSS';
  } else if (len === 2 && x === 87 && y === 83) return 'WS';
  return src.s.substring(start, end).toUpperCase();
}

/** True when `b[i, i + 8)` is "SIP/2.0/" (the usual sent-protocol, checked without a call). */
function isSip20(b: Codes, i: number): boolean {
  return (
    b[i]! === 83 &&
    b[i + 1]! === 73 &&
    b[i + 2]! === 80 &&
    b[i + 3]! === 47 &&
    b[i + 4]! === 50 &&
    b[i + 5]! === 46 &&
    b[i + 6]! === 48 &&
    b[i + 7]! === 47
  );
}

/**
 * A sent-protocol other than "SIP/2.0/" written so, from `i` up to the SLASH before the
 * transport: protocol-name SLASH protocol-version, the name upper-cased. `out.next` is the
 * index of the transport.
 */
function otherProtocol(src: Source, i: number, out: { next: number }): string {
  const b = src.b;
  const s = src.s;
  const ne = tokenEnd(b, i);
  if (ne === i) bad('protocol name');
  let j = skipWs(b, ne);
  if (b[j]! !== 47) bad('sent-protocol');
  const vs = skipWs(b, j + 1);
  const ve = tokenEnd(b, vs);
  if (ve === vs) bad('protocol version');
  j = skipWs(b, ve);
  if (b[j]! !== 47) bad('sent-protocol');
  out.next = skipWs(b, j + 1);
  return s.substring(i, ne).toUpperCase() + '/' + s.substring(vs, ve);
}

/**
 * Parses the via-parms of one Via field value `src[start, end)`: into `out` and returns the
 * first, or, without `out`, returns the first and leaves the rest. An empty element (`a,,b`,
 * a trailing comma) is an error.
 */
export function parseViaList(src: Source, start: number, end: number, out?: Via[]): Via {
  const hostChars = HOST_CHARS;
  const b = src.b;
  const s = src.s;
  let first: Via | undefined;
  let i = skipWs(b, start);
  for (;;) {
    // sent-protocol = protocol-name SLASH protocol-version SLASH transport
    let protocol: string;
    let t: number;
    if (isSip20(b, i)) {
      protocol = 'SIP/2.0';
      t = i + 8;
    } else {
      const next = { next: 0 };
      protocol = otherProtocol(src, i, next);
      t = next.next;
    }
    i = tokenEnd(b, t);
    if (i === t) bad('transport');
    const transport = transportName(src, t, i);
    const hs = skipWs(b, i);
    if (hs === i || hs >= end) bad('no space before sent-by');
    i = hs;
    let host: string;
    let c = b[i]!;
    if (c === 91) {
      const close = s.indexOf(']', i);
      if (close < 0 || close >= end || !isIPv6(s.substring(i + 1, close))) bad('IPv6 reference');
      host = s.substring(i, close + 1).toLowerCase();
      i = close + 1;
    } else {
      let upper = false;
      while (c < 128 && hostChars[c] === 1) {
        if (c <= 90 && c >= 65) upper = true;
        c = b[++i]!;
      }
      if (i === hs) bad('host');
      host = upper ? s.substring(hs, i).toLowerCase() : s.substring(hs, i);
    }
    let port: number | undefined;
    let j = skipWs(b, i);
    if (b[j]! === 58) {
      j = skipWs(b, j + 1);
      let n = 0;
      let pe = j;
      for (c = b[pe]!; c >= 48 && c <= 57 && pe < end; c = b[++pe]!) {
        n = n * 10 + c - 48;
      }
      if (pe === j || pe - j > 5 || n > 65535) bad('port');
      port = n;
      i = pe;
    }
    const ranges: number[] = [];
    i = scanParams(src, i, end, ranges, CODE, 'via', true);
    const via = new ViaValue(protocol, transport, host, port, src, ranges);
    if (out === undefined) return via;
    out.push(via);
    first ??= via;
    if (i >= end) return first;
    i = skipWs(b, i + 1); // past the comma
    if (i >= end || b[i]! === 44) bad('empty element in the Via list');
  }
}

/** Parses one via-parm. */
export function parseVia(value: string): Via {
  const out: Via[] = [];
  parseViaList(sourceOf(value), 0, value.length, out);
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
  declare private readonly src: Source;
  declare private readonly ranges: readonly number[];
  declare private cParams: HeaderParams | undefined;

  constructor(
    protocol: string,
    transport: string,
    host: string,
    port: number | undefined,
    src: Source,
    ranges: readonly number[],
  ) {
    this.protocol = protocol;
    this.transport = transport;
    this.host = host;
    this.port = port;
    this.src = src;
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
