// SIP, SIPS and tel URIs (RFC 3261 §19.1, §25.1; RFC 3966), any other absoluteURI kept opaque.
import {
  CHARS,
  C_HNV,
  C_PARAM,
  C_PASSWORD,
  C_SCHEME,
  C_URIC,
  C_USER,
  HOST_CHARS,
  PARAM_CHARS,
  is,
} from './chars.js';
import { ParseErrorCode } from './errors.js';
import { checkEscaped, escapeChars, unescapeRange } from './escapes.js';
import { isIPv6 } from './ipv6.js';
import { NO_PARAMS, paramName, setOnce } from './params.js';
import { fail, parseDigits } from './text.js';
import type { SipUri } from './types.js';

const TEL_CHARS = '0123456789abcdefABCDEF+*#-.()pPwW';

function bad(code: ParseErrorCode, what: string): never {
  return fail(code, `bad URI: ${what}`);
}

/** Parses a whole URI. Throws SipParseError BAD_URI. */
export function parseUri(text: string): SipUri {
  return parseUriRange(text, 0, text.length, ParseErrorCode.BadUri);
}

function schemeOf(s: string, start: number, colon: number): string {
  // The common case without an allocation-heavy toLowerCase.
  if (colon - start === 3) {
    const a = s.charCodeAt(start) | 0x20;
    const b = s.charCodeAt(start + 1) | 0x20;
    const c = s.charCodeAt(start + 2) | 0x20;
    if (a === 115 && b === 105 && c === 112) return 'sip';
    if (a === 116 && b === 101 && c === 108) return 'tel';
  }
  return s.substring(start, colon).toLowerCase();
}

/** Parses `s[start, end)` as a URI; errors carry `code`. */
export function parseUriRange(s: string, start: number, end: number, code: ParseErrorCode): SipUri {
  let colon = start;
  while (colon < end && is(s.charCodeAt(colon), C_SCHEME)) colon++;
  const first = s.charCodeAt(start) | 0x20;
  if (colon === start || colon >= end || s.charCodeAt(colon) !== 58 || first < 97 || first > 122) {
    bad(code, 'no scheme');
  }
  const scheme = schemeOf(s, start, colon);
  if (scheme === 'sip' || scheme === 'sips') return parseSip(s, scheme, colon + 1, end, code);
  if (scheme === 'tel') return parseTel(s, colon + 1, end, code);
  if (colon + 1 >= end || checkEscaped(s, colon + 1, end, C_URIC) >= 0) bad(code, scheme);
  return {
    scheme,
    user: undefined,
    password: undefined,
    host: '',
    port: undefined,
    params: NO_PARAMS,
    headers: NO_PARAMS,
    opaque: s.substring(colon + 1, end),
  };
}

function parseSip(s: string, scheme: string, i: number, end: number, code: ParseErrorCode): SipUri {
  const hostChars = HOST_CHARS;
  let user: string | undefined;
  let password: string | undefined;
  const at = s.indexOf('@', i);
  if (at >= 0 && at < end) {
    let pw = s.indexOf(':', i);
    if (pw < 0 || pw > at) pw = at;
    if (pw === i || checkEscaped(s, i, pw, C_USER) >= 0) bad(code, 'user part');
    user = unescapeRange(s, i, pw);
    if (pw < at) {
      if (checkEscaped(s, pw + 1, at, C_PASSWORD) >= 0) bad(code, 'password');
      password = unescapeRange(s, pw + 1, at);
    }
    i = at + 1;
  }
  let host: string;
  if (s.charCodeAt(i) === 91) {
    const close = s.indexOf(']', i);
    if (close < 0 || close >= end || !isIPv6(s.substring(i + 1, close)))
      bad(code, 'IPv6 reference');
    host = s.substring(i, close + 1).toLowerCase();
    i = close + 1;
  } else {
    const hs = i;
    let upper = false;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c >= 128 || hostChars[c] !== 1) break;
      if (c >= 65 && c <= 90) upper = true;
      i++;
    }
    if (i === hs) bad(code, 'host');
    host = upper ? s.substring(hs, i).toLowerCase() : s.substring(hs, i);
  }
  let port: number | undefined;
  if (i < end && s.charCodeAt(i) === 58) {
    const ps = i + 1;
    i = ps;
    while (i < end && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    const n = i - ps <= 5 ? parseDigits(s, ps, i) : -1;
    if (n < 0 || n > 65535) bad(code, 'port');
    port = n;
  }
  let params: Record<string, string | null> = NO_PARAMS;
  if (i < end && s.charCodeAt(i) === 59) {
    params = {};
    i = parseUriParams(s, i, end, params, code);
  }
  let headers: Record<string, string> = NO_PARAMS;
  if (i < end && s.charCodeAt(i) === 63) {
    headers = {};
    i = parseUriHeaders(s, i + 1, end, headers, code);
  }
  if (i !== end) bad(code, 'unexpected character');
  return { scheme, user, password, host, port, params, headers, opaque: undefined };
}

function parseTel(s: string, i: number, end: number, code: ParseErrorCode): SipUri {
  const ns = i;
  while (i < end && TEL_CHARS.indexOf(s[i]!) >= 0) i++;
  if (i === ns) bad(code, 'telephone number');
  const user = s.substring(ns, i);
  let params: Record<string, string | null> = NO_PARAMS;
  if (i < end && s.charCodeAt(i) === 59) {
    params = {};
    i = parseUriParams(s, i, end, params, code);
  }
  if (i !== end) bad(code, 'unexpected character in tel URI');
  return {
    scheme: 'tel',
    user,
    password: undefined,
    host: '',
    port: undefined,
    params,
    headers: NO_PARAMS,
    opaque: undefined,
  };
}

/** `;name[=value]…` at `i` (a ";"); returns the index after the last parameter. */
function parseUriParams(
  s: string,
  i: number,
  end: number,
  out: Record<string, string | null>,
  code: ParseErrorCode,
): number {
  while (i < end && s.charCodeAt(i) === 59) {
    const ns = ++i;
    while (i < end && isParamChar(s.charCodeAt(i))) i++;
    const ne = i;
    if (ne === ns || checkEscaped(s, ns, ne, C_PARAM) >= 0) bad(code, 'parameter name');
    let value: string | null = null;
    if (i < end && s.charCodeAt(i) === 61) {
      const vs = ++i;
      while (i < end && isParamChar(s.charCodeAt(i))) i++;
      if (i === vs || checkEscaped(s, vs, i, C_PARAM) >= 0) bad(code, 'parameter value');
      value = unescapeRange(s, vs, i);
    }
    const pct = s.indexOf('%', ns);
    const name =
      pct < 0 || pct >= ne ? paramName(s, ns, ne) : unescapeRange(s, ns, ne).toLowerCase();
    setOnce(out, name, value);
  }
  return i;
}

function isParamChar(c: number): boolean {
  return c === 37 || (c < 128 && PARAM_CHARS[c] === 1);
}

function isHeaderChar(c: number): boolean {
  return c === 37 || (c < 128 && (CHARS[c]! & C_HNV) !== 0);
}

function parseUriHeaders(
  s: string,
  i: number,
  end: number,
  out: Record<string, string>,
  code: ParseErrorCode,
): number {
  for (;;) {
    const ns = i;
    while (i < end && isHeaderChar(s.charCodeAt(i))) i++;
    if (i === ns || s.charCodeAt(i) !== 61 || checkEscaped(s, ns, i, C_HNV) >= 0) {
      bad(code, 'header name');
    }
    const name = unescapeRange(s, ns, i);
    const vs = ++i;
    while (i < end && isHeaderChar(s.charCodeAt(i))) i++;
    if (checkEscaped(s, vs, i, C_HNV) >= 0) bad(code, 'header value');
    setOnce(out, name, unescapeRange(s, vs, i));
    if (i < end && s.charCodeAt(i) === 38) {
      i++;
      continue;
    }
    return i;
  }
}

/** Writes a URI back to text, escaping what its components need (RFC 3261 §19.1.2). */
export function formatUri(uri: SipUri): string {
  if (uri.opaque !== undefined) return `${uri.scheme}:${uri.opaque}`;
  let out = uri.scheme + ':';
  if (uri.scheme === 'tel') out += uri.user ?? '';
  else {
    if (uri.user !== undefined) {
      out += escapeChars(uri.user, C_USER);
      if (uri.password !== undefined) out += ':' + escapeChars(uri.password, C_PASSWORD);
      out += '@';
    }
    out += uri.host;
    if (uri.port !== undefined) out += ':' + uri.port;
  }
  for (const name of Object.keys(uri.params)) {
    const value = uri.params[name];
    out += ';' + escapeChars(name, C_PARAM);
    if (value !== null && value !== undefined) out += '=' + escapeChars(value, C_PARAM);
  }
  let sep = '?';
  for (const name of Object.keys(uri.headers)) {
    out += sep + escapeChars(name, C_HNV) + '=' + escapeChars(uri.headers[name]!, C_HNV);
    sep = '&';
  }
  return out;
}
