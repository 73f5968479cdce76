// The Request-URI of a received request (RFC 3261 §7.1, §19.1.1). parseMessage makes the light
// checks below; the full URI parse waits for the first requestUri(), which throws
// BAD_REQUEST_URI for a URI these checks let through, and checkMessage reports it with 400.
import { C_SCHEME, is } from './chars.js';
import { ParseErrorCode, SipParseError } from './errors.js';
import { NO_PARAMS } from './params.js';
import type { Codes } from './source.js';
import type { SipUri } from './types.js';
import { parseUri } from './uri.js';

function bad(message: string, offset: number): never {
  throw new SipParseError(ParseErrorCode.BadRequestUri, message, { offset });
}

/**
 * The checks made before a request is exposed, on `s[start, end)` (its octets `b`): a scheme (ALPHA *( ALPHA /
 * DIGIT / "+" / "-" / "." ) ":") and something after it; only visible ASCII other than < > and
 * DQUOTE (no whitespace: no URI holds them); for sip and sips no headers component (§19.1.1:
 * "the headers component [...] MUST NOT be used in a Request-URI"), an IPv6 reference closed
 * and at most one ":" in the host-port (RFC 5118 §4.10: an IPv6 address goes in brackets).
 */
export function checkRequestUri(s: string, b: Codes, start: number, end: number): void {
  const colon = schemeEnd(b, start, end);
  const sip = isSip(b, start, colon);
  // One pass over the rest: its characters, the first "@" (the host follows it: uri.ts reads the
  // user part up to it), and whether a "?" (headers) follows the host's start.
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
    }
  }
  if (!sip) return;
  if (at < 0 ? qBeforeAt : qAfterAt) bad('Request-URI with a headers component', start);
  let i = at < 0 ? colon + 1 : at + 1;
  if (b[i]! === 91) {
    const close = s.indexOf(']', i);
    if (close < 0 || close >= end) bad('IPv6 reference not closed', i);
    i = close + 1;
  }
  let colons = 0;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c === 59) break;
    if (c === 58 && colons++ > 0) bad('a host with colons outside brackets', i);
  }
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
