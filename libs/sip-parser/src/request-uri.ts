// The Request-URI of a received request (RFC 3261 §7.1, §19.1.1). parseMessage makes the light
// checks below; the full URI parse waits for the first requestUri(), which throws
// BAD_REQUEST_URI for a URI these checks let through, and checkMessage reports it with 400.
import { C_SCHEME, HOST_CHARS, hexValue, is } from './chars.js';
import { ParseErrorCode, SipParseError } from './errors.js';
import { NO_PARAMS } from './params.js';
import type { Codes } from './source.js';
import type { SipUri } from './types.js';
import { parseUri } from './uri.js';

function bad(message: string, offset: number): never {
  throw new SipParseError(ParseErrorCode.BadRequestUri, message, { offset });
}

/**
 * The checks made before a request is exposed, on `s[start, end)` (its octets `b`): a scheme
 * (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":") and something after it; only visible ASCII
 * other than < > and DQUOTE (no whitespace: no URI holds them); every "%" followed by two hex
 * digits. For sip and sips, as uri.ts reads them: no headers component (§19.1.1: "the headers
 * component [...] MUST NOT be used in a Request-URI"), and after the user part (up to the first
 * "@") the host-port: an IPv6 reference closed by "]" or a hostname / IPv4 address, then an
 * optional port of 1 to 5 digits at most 65535, then parameters or the end (an IPv6 address
 * without brackets, RFC 5118 §4.10, fails here). Left to the full parse: the characters of the
 * user part and of the parameters, the IPv6 reference itself, tel and other schemes' syntax.
 */
export function checkRequestUri(s: string, b: Codes, start: number, end: number): void {
  const colon = schemeEnd(b, start, end);
  const sip = isSip(b, start, colon);
  // One pass over the rest: its characters and escapes, the first "@" (the host follows it),
  // and whether a "?" (headers) follows the host's start.
  let at = -1;
  let qBeforeAt = false;
  let qAfterAt = false;
  for (let i = colon + 1; i < end; i++) {
    const c = b[i]!;
    if (c <= 32 || c >= 127 || c === 60 || c === 62 || c === 34) {
      bad('Request-URI holds a character no URI holds', i);
    }
    if (c === 64) {
      if (at < 0) at = i;
    } else if (c === 63) {
      if (at < 0) qBeforeAt = true;
      else qAfterAt = true;
    } else if (c === 37 && (i + 2 >= end || hexValue(b[i + 1]!) < 0 || hexValue(b[i + 2]!) < 0)) {
      bad('Request-URI with a bad escape', i);
    }
  }
  if (!sip) return;
  if (at < 0 ? qBeforeAt : qAfterAt) bad('Request-URI with a headers component', start);
  let i = at < 0 ? colon + 1 : at + 1;
  if (b[i] === 91) {
    const close = s.indexOf(']', i);
    if (close < 0 || close >= end) bad('IPv6 reference not closed', i);
    i = close + 1;
  } else {
    const hostChars = HOST_CHARS;
    const hs = i;
    for (let c = b[i]!; i < end && c < 128 && hostChars[c] === 1; c = b[++i]!);
    if (i === hs) bad('Request-URI without a host', hs);
  }
  if (i < end && b[i] === 58) {
    const ps = ++i;
    let port = 0;
    for (let c = b[i]!; i < end && c >= 48 && c <= 57; c = b[++i]!) port = port * 10 + c - 48;
    if (i === ps || i - ps > 5 || port > 65535) bad('Request-URI with a bad port', ps);
  }
  if (i < end && b[i] !== 59) bad('Request-URI with a bad host-port', i);
}

/** The index of the ":" ending the scheme at `start`, followed by at least one character. */
function schemeEnd(b: Codes, start: number, end: number): number {
  const first = b[start]! | 0x20;
  if (first < 97 || first > 122) bad('no scheme', start);
  let colon = start + 1;
  while (colon < end && is(b[colon]!, C_SCHEME)) colon++;
  if (colon + 1 >= end || b[colon]! !== 58) bad('no scheme', start);
  return colon;
}

/** True when the scheme `s[start, colon)` is sip or sips (any case). */
function isSip(b: Codes, start: number, colon: number): boolean {
  const n = colon - start;
  if (n !== 3 && n !== 4) return false;
  if ((b[start]! | 0x20) !== 115 || (b[start + 1]! | 0x20) !== 105) {
    return false;
  }
  if ((b[start + 2]! | 0x20) !== 112) return false;
  return n === 3 || (b[start + 3]! | 0x20) === 115;
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
