// Authentication headers (RFC 3261 §20.7, §20.27, §20.28, §20.44, §20.6, §25.1):
// challenge / credentials = auth-scheme LWS auth-param *(COMMA auth-param), where
// auth-param = token EQUAL ( token / quoted-string ); Authentication-Info = ainfo *(COMMA ainfo).
// A scheme other than Digest followed by a single token68 (RFC 7235, e.g. Bearer, RFC 8898) is
// kept as `token68`.
import { ParseErrorCode } from './errors.js';
import { paramName, setOnce } from './params.js';
import { sourceOf, type Source } from './source.js';
import { fail, readQuoted, scanToken, skipWs } from './text.js';
import type { AuthHeader } from './types.js';

const CODE = ParseErrorCode.BadAuth;

function isToken68Char(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 45 ||
    c === 46 ||
    c === 95 ||
    c === 126 ||
    c === 43 ||
    c === 47
  );
}

/** One WWW-Authenticate / Proxy-Authenticate / Authorization / Proxy-Authorization value. */
export function parseAuth(value: string, header: string): AuthHeader {
  const end = value.length;
  const ss = skipWs(value, 0, end);
  const se = scanToken(value, ss, end);
  if (se === ss) fail(CODE, `${header} has no auth-scheme`, header);
  const scheme = value.substring(ss, se);
  const i = skipWs(value, se, end);
  if (i === end) return { scheme, params: {} };
  if (i === se) fail(CODE, `${header} needs LWS after the scheme`, header);
  // token68: a run of token68 characters and "=" padding, then nothing.
  let j = i;
  while (j < end && isToken68Char(value.charCodeAt(j))) j++;
  const pad = j;
  while (j < end && value.charCodeAt(j) === 61) j++;
  const digest = se - ss === 6 && scheme.toLowerCase() === 'digest';
  if (!digest && j > i && skipWs(value, j, end) === end && (pad < j || value.indexOf('=', i) < 0)) {
    return {
      scheme,
      params: {},
      token68: value.substring(i, j),
    };
  }
  return { scheme, params: parseAuthParams(value, i, header) };
}

/** `name=value` pairs separated by commas; quoted values unquoted and unescaped. */
export function parseAuthParams(value: string, i: number, header: string): Record<string, string> {
  const end = value.length;
  const out: Record<string, string> = {};
  const q = { value: '' };
  let src: Source | undefined;
  for (;;) {
    i = skipWs(value, i, end);
    const ns = i;
    i = scanToken(value, i, end);
    if (i === ns) fail(CODE, `${header}: auth-param name expected`, header);
    const name = paramName(value, ns, i);
    i = skipWs(value, i, end);
    if (value.charCodeAt(i) !== 61) fail(CODE, `${header}: "=" expected after ${name}`, header);
    i = skipWs(value, i + 1, end);
    let v: string;
    if (value.charCodeAt(i) === 34) {
      i = readQuoted((src ??= sourceOf(value)), i, end, q);
      if (i < 0) fail(CODE, `${header}: unterminated quoted value of ${name}`, header);
      v = q.value;
    } else {
      const vs = i;
      i = scanToken(value, i, end);
      if (i === vs) fail(CODE, `${header}: value expected for ${name}`, header);
      v = value.substring(vs, i);
    }
    setOnce(out, name, v);
    i = skipWs(value, i, end);
    if (i === end) return out;
    if (value.charCodeAt(i) !== 44) fail(CODE, `${header}: "," expected between params`, header);
    i++;
  }
}
