// The Request-URI of a received request (RFC 3261 §7.1, §19.1.1). parseMessage makes the light
// checks below; the full URI parse waits for the first requestUri(), which throws
// BAD_REQUEST_URI for a URI these checks let through, and checkMessage reports it with 400.
import { C_SCHEME, is } from './chars.js';
import { ParseErrorCode, SipParseError } from './errors.js';
import { NO_PARAMS } from './params.js';
import type { SipUri } from './types.js';
import { parseUri } from './uri.js';

function bad(message: string, offset: number): never {
  throw new SipParseError(ParseErrorCode.BadRequestUri, message, { offset });
}

/** True when `s[i, i + 3)` is "sip" in any case and `s[i + 3]` is ":" (or "s:" for sips). */
function isSipScheme(s: string, i: number, colon: number): boolean {
  const n = colon - i;
  if (n !== 3 && n !== 4) return false;
  if ((s.charCodeAt(i) | 0x20) !== 115 || (s.charCodeAt(i + 1) | 0x20) !== 105) return false;
  if ((s.charCodeAt(i + 2) | 0x20) !== 112) return false;
  return n === 3 || (s.charCodeAt(i + 3) | 0x20) === 115;
}

/**
 * The checks made before a request is exposed, on `s[start, end)`: a scheme (ALPHA *( ALPHA /
 * DIGIT / "+" / "-" / "." ) ":") and something after it; only visible ASCII other than < > and
 * DQUOTE (no whitespace: no URI holds them); for sip and sips no headers component (§19.1.1:
 * "the headers component [...] MUST NOT be used in a Request-URI"), an IPv6 reference closed
 * and at most one ":" in the host-port (RFC 5118 §4.10: an IPv6 address goes in brackets).
 */
export function checkRequestUri(s: string, start: number, end: number): void {
  let colon = start;
  while (colon < end && is(s.charCodeAt(colon), C_SCHEME)) colon++;
  const first = s.charCodeAt(start) | 0x20;
  if (colon === start || colon + 1 >= end || s.charCodeAt(colon) !== 58) bad('no scheme', start);
  if (first < 97 || first > 122) bad('no scheme', start);
  for (let i = colon + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c >= 127 || c === 60 || c === 62 || c === 34) {
      bad('Request-URI holds a character no URI holds', i);
    }
  }
  if (!isSipScheme(s, start, colon)) return;
  const at = s.indexOf('@', colon + 1);
  const host = at >= 0 && at < end ? at + 1 : colon + 1;
  const q = s.indexOf('?', host);
  if (q >= 0 && q < end) bad('Request-URI with a headers component', q);
  let i = host;
  if (s.charCodeAt(i) === 91) {
    const close = s.indexOf(']', i);
    if (close < 0 || close >= end) bad('IPv6 reference not closed', i);
    i = close + 1;
  }
  let colons = 0;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 59) break;
    if (c === 58 && colons++ > 0) bad('a host with colons outside brackets', i);
  }
}

/**
 * The full parse of a received Request-URI (at octet `offset`), made on first requestUri(): any
 * URI error is BAD_REQUEST_URI, and a sip/sips URI carries no headers component.
 */
export function parseRequestUri(uri: string, offset: number): SipUri {
  let parsed;
  try {
    parsed = parseUri(uri);
  } catch (e) {
    const message = `bad Request-URI: ${uri}`;
    throw new SipParseError(ParseErrorCode.BadRequestUri, message, { offset, cause: e });
  }
  if (parsed.headers !== NO_PARAMS) bad('Request-URI with a headers component', offset);
  return parsed;
}
