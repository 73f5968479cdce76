// Via (RFC 3261 §20.42, §25.1; RFC 3581 rport; RFC 5118 IPv6):
// Via = ( "Via" / "v" ) HCOLON via-parm *(COMMA via-parm)
// via-parm = sent-protocol LWS sent-by *( SEMI via-params ),
// sent-protocol = protocol-name SLASH protocol-version SLASH transport (SLASH = SWS "/" SWS).
import { C_HOST, C_TOKEN, CHARS } from './chars.js';
import { ParseErrorCode } from './errors.js';
import { isIPv6 } from './ipv6.js';
import { parseParams } from './params.js';
import { fail, parseDigits } from './text.js';
import type { Via } from './types.js';

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
  let c = s.charCodeAt(i);
  while (c < 128 && (CHARS[c]! & C_TOKEN) !== 0) c = s.charCodeAt(++i);
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

/** sent-protocol from `i`; returns [protocol, transport] via `out`, and the index after it. */
function sentProtocol(s: string, i: number, out: { protocol: string; transport: string }): number {
  let protocol: string;
  let t: number;
  if (s.startsWith('SIP/2.0/', i)) {
    protocol = 'SIP/2.0';
    t = i + 8;
  } else {
    const ne = tokenEnd(s, i);
    if (ne === i) bad('protocol name');
    let j = skipWs(s, ne);
    if (s.charCodeAt(j) !== 47) bad('sent-protocol');
    const vs = skipWs(s, j + 1);
    const ve = tokenEnd(s, vs);
    if (ve === vs) bad('protocol version');
    j = skipWs(s, ve);
    if (s.charCodeAt(j) !== 47) bad('sent-protocol');
    protocol = s.substring(i, ne).toUpperCase() + '/' + s.substring(vs, ve);
    t = skipWs(s, j + 1);
  }
  const te = tokenEnd(s, t);
  if (te === t) bad('transport');
  out.protocol = protocol;
  out.transport = transportName(s, t, te);
  return te;
}

/**
 * Parses the via-parms of one Via field value into `out` (only the first with `firstOnly`).
 * An empty element (`a,,b`, a trailing comma) is an error.
 */
export function parseViaList(s: string, out: Via[], firstOnly: boolean): void {
  const end = s.length;
  const proto = { protocol: '', transport: '' };
  let i = skipWs(s, 0);
  for (;;) {
    i = sentProtocol(s, i, proto);
    const hs = skipWs(s, i);
    if (hs === i) bad('no space before sent-by');
    i = hs;
    let host: string;
    let c = s.charCodeAt(i);
    if (c === 91) {
      const close = s.indexOf(']', i);
      if (close < 0 || !isIPv6(s.substring(i + 1, close))) bad('IPv6 reference');
      host = s.substring(i, close + 1).toLowerCase();
      i = close + 1;
    } else {
      let upper = false;
      while (c < 128 && (CHARS[c]! & C_HOST) !== 0) {
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
      let pe = j;
      while (pe < end && s.charCodeAt(pe) >= 48 && s.charCodeAt(pe) <= 57) pe++;
      const n = pe - j <= 5 ? parseDigits(s, j, pe) : -1;
      if (n < 0 || n > 65535) bad('port');
      port = n;
      i = pe;
    }
    const params: Record<string, string | null> = {};
    i = parseParams(s, i, params, CODE, 'via', true);
    out.push(buildVia(proto.protocol, proto.transport, host, port, params));
    if (i >= end || firstOnly) return;
    i = skipWs(s, i + 1); // past the comma
    if (i >= end || s.charCodeAt(i) === 44) bad('empty element in the Via list');
  }
}

/** Parses one via-parm. */
export function parseVia(value: string): Via {
  const out: Via[] = [];
  parseViaList(value, out, false);
  if (out.length !== 1) bad('more than one via-parm');
  return out[0]!;
}

function buildVia(
  protocol: string,
  transport: string,
  host: string,
  port: number | undefined,
  params: Record<string, string | null>,
): Via {
  const branch = params.branch;
  if (branch === null) bad('branch without a value');
  const receivedRaw = params.received;
  if (receivedRaw === null) bad('received without a value');
  // RFC 5118 §4.5: accept received with or without [ ]; expose the bare address.
  const received =
    receivedRaw !== undefined && receivedRaw.charCodeAt(0) === 91
      ? receivedRaw.substring(1, receivedRaw.length - 1)
      : receivedRaw;
  let rport: number | true | undefined;
  const rp = params.rport;
  if (rp === null) rport = true;
  else if (rp !== undefined) {
    const n = rp.length <= 5 ? parseDigits(rp, 0, rp.length) : -1;
    if (n < 0 || n > 65535) bad('rport');
    rport = n;
  }
  const maddr = params.maddr;
  if (maddr === null) bad('maddr without a value');
  let ttl: number | undefined;
  const t = params.ttl;
  if (t !== undefined) {
    const n = t === null || t.length > 3 ? -1 : parseDigits(t, 0, t.length);
    if (n < 0 || n > 255) bad('ttl');
    ttl = n;
  }
  return { protocol, transport, host, port, branch, received, rport, maddr, ttl, params };
}
