// Header parameters: *( SEMI generic-param ), generic-param = token [ EQUAL gen-value ],
// gen-value = token / host / quoted-string (RFC 3261 §25.1). SEMI and EQUAL allow LWS around.
// Values are kept as written (a quoted value keeps its quotes); names are lower-cased.
import { C_PVAL, C_TOKEN, CHARS } from './chars.js';
import type { ParseErrorCode } from './errors.js';
import { fail, lower, skipQuoted } from './text.js';

export type MutableParams = Record<string, string | null>;

/**
 * A parameter record. A plain object: V8 keeps its properties fast (a null-prototype object
 * with parsed keys is a hash table, many times slower); `setOnce` keeps `__proto__` and names
 * of Object.prototype members as own data properties.
 */
export function newParams(): MutableParams {
  return {};
}

export const NO_PARAMS: Readonly<Record<string, never>> = Object.freeze({});

/** Parameter names seen in nearly every message, returned as the same (internalized) strings. */
const KNOWN_NAMES = [
  'branch',
  'tag',
  'rport',
  'received',
  'maddr',
  'ttl',
  'expires',
  'q',
  'lr',
  'transport',
  'user',
  'method',
  'ob',
  'reg-id',
  '+sip.instance',
  'pn-provider',
  'pn-prid',
  'pn-param',
  'pn-purr',
  'duration',
  'cause',
  'text',
  'charset',
  'boundary',
  'alias',
  'comp',
  'gr',
  'username',
  'realm',
  'nonce',
  'uri',
  'response',
  'algorithm',
  'cnonce',
  'opaque',
  'qop',
  'nc',
  'stale',
  'nextnonce',
  'rspauth',
  'domain',
];

function buildKnown(): (string[] | undefined)[] {
  const t: (string[] | undefined)[] = [];
  for (const n of KNOWN_NAMES) (t[(n.length << 5) | (n.charCodeAt(0) & 31)] ??= []).push(n);
  return t;
}

const KNOWN = buildKnown();

/**
 * The lower-cased name `s[start, end)`. Common names come back as literals: a substring used as
 * a property key must be internalized by V8 on every store, a literal already is.
 */
export function paramName(s: string, start: number, end: number): string {
  const len = end - start;
  const list = len < 32 ? KNOWN[(len << 5) | (s.charCodeAt(start) & 31)] : undefined;
  if (list !== undefined) {
    for (let k = 0; k < list.length; k++) {
      const n = list[k]!;
      let i = 0;
      while (i < len && (s.charCodeAt(start + i) | 0x20) === (n.charCodeAt(i) | 0x20)) i++;
      if (i === len) return n;
    }
  }
  return lower(s.substring(start, end));
}

/** Sets `out[name]` unless an earlier parameter of that name set it (the first one wins). */
export function setOnce<T>(out: Record<string, T>, name: string, value: T): void {
  if (out[name] === undefined && name !== '__proto__') out[name] = value;
  else if (!Object.prototype.hasOwnProperty.call(out, name)) {
    Object.defineProperty(out, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
}

/**
 * Parses `;name[=value]…` of `s` from `i` into `out`; the first occurrence of a name wins.
 * Parses to the end of `s`, or, with `list`, up to a "," that ends a list element (the index
 * of that comma is returned). Anything else throws `code`.
 */
export function parseParams(
  s: string,
  i: number,
  out: MutableParams,
  code: ParseErrorCode,
  header: string,
  list = false,
): number {
  const end = s.length;
  let c = s.charCodeAt(i);
  for (;;) {
    while (c === 32 || c === 9) c = s.charCodeAt(++i);
    if (i >= end) return end;
    if (c !== 59) {
      if (c === 44 && list) return i;
      fail(code, `unexpected character in ${header} parameters`, header);
    }
    c = s.charCodeAt(++i);
    while (c === 32 || c === 9) c = s.charCodeAt(++i);
    const ns = i;
    while (c < 128 && (CHARS[c]! & C_TOKEN) !== 0) c = s.charCodeAt(++i);
    if (i === ns) fail(code, `empty parameter name in ${header}`, header);
    const name = paramName(s, ns, i);
    while (c === 32 || c === 9) c = s.charCodeAt(++i);
    let value: string | null = null;
    if (c === 61) {
      c = s.charCodeAt(++i);
      while (c === 32 || c === 9) c = s.charCodeAt(++i);
      const vs = i;
      if (c === 34) {
        i = skipQuoted(s, i, end);
        if (i < 0) fail(code, `unterminated quoted parameter value in ${header}`, header);
        c = s.charCodeAt(i);
      } else {
        while (c < 128 && (CHARS[c]! & C_PVAL) !== 0) c = s.charCodeAt(++i);
      }
      if (i === vs) fail(code, `parameter ${name} has an empty value in ${header}`, header);
      value = s.substring(vs, i);
    }
    setOnce(out, name, value);
  }
}

/** A parameter value without its surrounding quotes and quoted-pair escapes. */
export function unquote(value: string): string {
  if (value.length < 2 || value.charCodeAt(0) !== 34) return value;
  let out = '';
  for (let i = 1; i < value.length - 1; i++) {
    const c = value[i]!;
    if (c === '\\' && i + 1 < value.length - 1) {
      out += value[i + 1]!;
      i++;
    } else out += c;
  }
  return out;
}
