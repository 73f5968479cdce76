// Via (RFC 3261 §20.42, §25.1; RFC 3581 rport; RFC 5118 IPv6):
// via-parm = sent-protocol LWS sent-by *( SEMI via-params ),
// sent-protocol = protocol-name SLASH protocol-version SLASH transport (SLASH = SWS "/" SWS).
import { C_HOST, CHARS } from './chars.js';
import { ParseErrorCode } from './errors.js';
import { isIPv6 } from './ipv6.js';
import { newParams, parseParams } from './params.js';
import { fail, parseDigits, scanToken, skipWs } from './text.js';
import type { Via } from './types.js';

const CODE = ParseErrorCode.BadVia;

function bad(what: string): never {
  return fail(CODE, `bad Via: ${what}`, 'via');
}

function upperToken(s: string, start: number, end: number): string {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) return s.substring(start, end).toUpperCase();
  }
  return s.substring(start, end);
}

function slash(s: string, i: number, end: number): number {
  i = skipWs(s, i, end);
  if (s.charCodeAt(i) !== 47) bad('sent-protocol');
  return skipWs(s, i + 1, end);
}

/** Parses one via-parm (one element of a Via list). */
export function parseVia(value: string): Via {
  const end = value.length;
  let i = skipWs(value, 0, end);
  const ps = i;
  i = scanToken(value, i, end);
  if (i === ps) bad('protocol name');
  const name = upperToken(value, ps, i);
  i = slash(value, i, end);
  const vs = i;
  i = scanToken(value, i, end);
  if (i === vs) bad('protocol version');
  const version = value.substring(vs, i);
  i = slash(value, i, end);
  const ts = i;
  i = scanToken(value, i, end);
  if (i === ts) bad('transport');
  const transport = upperToken(value, ts, i);
  const hs = skipWs(value, i, end);
  if (hs === i) bad('no space before sent-by');
  i = hs;
  let host: string;
  if (value.charCodeAt(i) === 91) {
    const close = value.indexOf(']', i);
    if (close < 0 || !isIPv6(value.substring(i + 1, close))) bad('IPv6 reference');
    host = value.substring(i, close + 1).toLowerCase();
    i = close + 1;
  } else {
    let upper = false;
    while (i < end) {
      const c = value.charCodeAt(i);
      if (c >= 128 || (CHARS[c]! & C_HOST) === 0) break;
      if (c >= 65 && c <= 90) upper = true;
      i++;
    }
    if (i === hs) bad('host');
    host = upper ? value.substring(hs, i).toLowerCase() : value.substring(hs, i);
  }
  let port: number | undefined;
  let j = skipWs(value, i, end);
  if (value.charCodeAt(j) === 58) {
    j = skipWs(value, j + 1, end);
    const pe = scanDigits(value, j, end);
    const n = pe - j <= 5 ? parseDigits(value, j, pe) : -1;
    if (n < 0 || n > 65535) bad('port');
    port = n;
    i = pe;
  }
  const params = newParams();
  parseParams(value, i, end, params, CODE, 'via');
  return buildVia(name + '/' + version, transport, host, port, params);
}

function scanDigits(s: string, i: number, end: number): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i;
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
    if (n < 0 || n > 255) fail(ParseErrorCode.BadVia, 'bad Via: ttl', 'via');
    ttl = n;
  }
  return { protocol, transport, host, port, branch, received, rport, maddr, ttl, params };
}
