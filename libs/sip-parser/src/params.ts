// Header parameters: *( SEMI generic-param ), generic-param = token [ EQUAL gen-value ],
// gen-value = token / host / quoted-string (RFC 3261 §25.1). SEMI and EQUAL allow LWS around.
// Values are kept as written (a quoted value keeps its quotes); names are lower-cased.
import { PVAL_CHARS, TOKEN_CHARS } from './chars.js';
import type { ParseErrorCode } from './errors.js';
import { sourceOf, type Source } from './source.js';
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
 * Scans `;name[=value]…` of `src` from `i` to `end` and pushes 4 numbers per parameter to
 * `ranges`: name start and end, value start and end (-1, -1 for a parameter without value).
 * Scans to `end`, or, with `list`, up to a "," that ends a list element (the index of that
 * comma is returned). Anything else throws `code`. After `end` comes a CR (see Source), where
 * every character class stops.
 */
export function scanParams(
  src: Source,
  i: number,
  end: number,
  ranges: number[],
  code: ParseErrorCode,
  header: string,
  list: boolean,
): number {
  const tok = TOKEN_CHARS;
  const pval = PVAL_CHARS;
  const b = src.b;
  let c = b[i]!;
  for (;;) {
    while (c === 32 || c === 9) c = b[++i]!;
    if (i >= end) return end;
    if (c !== 59) {
      if (c === 44 && list) return i;
      fail(code, `unexpected character in ${header} parameters`, header);
    }
    c = b[++i]!;
    while (c === 32 || c === 9) c = b[++i]!;
    const ns = i;
    while (c < 128 && tok[c] === 1) c = b[++i]!;
    const ne = i;
    if (ne === ns || ne > end) fail(code, `empty parameter name in ${header}`, header);
    while (c === 32 || c === 9) c = b[++i]!;
    let vs = -1;
    let ve = -1;
    if (c === 61) {
      c = b[++i]!;
      while (c === 32 || c === 9) c = b[++i]!;
      vs = i;
      if (c === 34) {
        i = skipQuoted(src, i, end);
        if (i < 0) fail(code, `unterminated quoted parameter value in ${header}`, header);
        c = b[i]!;
      } else {
        while (c < 128 && pval[c] === 1) c = b[++i]!;
      }
      if (i === vs || i > end) fail(code, `a parameter in ${header} has an empty value`, header);
      ve = i;
    }
    ranges.push(ns, ne, vs, ve);
  }
}

/** Index in `ranges` of the first parameter of `src` named `name` (lower-case), or -1. */
export function findParam(src: Source, ranges: readonly number[], name: string): number {
  const len = name.length;
  const b = src.b;
  for (let k = 0; k < ranges.length; k += 4) {
    const ns = ranges[k]!;
    if (ranges[k + 1]! - ns !== len) continue;
    let i = 0;
    while (i < len && (b[ns + i]! | 0x20) === name.charCodeAt(i)) i++;
    if (i === len) return k;
  }
  return -1;
}

/** The value of the parameter at index `k` of `ranges` (null without a value), or undefined for -1. */
export function paramAt(
  src: Source,
  ranges: readonly number[],
  k: number,
): string | null | undefined {
  if (k < 0) return undefined;
  const vs = ranges[k + 2]!;
  return vs < 0 ? null : src.s.substring(vs, ranges[k + 3]!);
}

/** The value of the first parameter named `name` (lower-case). */
export function getParam(
  src: Source,
  ranges: readonly number[],
  name: string,
): string | null | undefined {
  return paramAt(src, ranges, findParam(src, ranges, name));
}

/** The parameters as a record: names lower-cased, values as written, the first one wins. */
export function buildParams(src: Source, ranges: readonly number[]): MutableParams {
  const out: MutableParams = {};
  for (let k = 0; k < ranges.length; k += 4) {
    setOnce<string | null>(
      out,
      paramName(src.s, ranges[k]!, ranges[k + 1]!),
      paramAt(src, ranges, k) ?? null,
    );
  }
  return out;
}

/** The parameters of `s[i, end)` as a record (for headers read rarely). */
export function parseParams(
  s: string,
  i: number,
  end: number,
  code: ParseErrorCode,
  header: string,
): MutableParams {
  const src = sourceOf(s);
  const ranges: number[] = [];
  scanParams(src, i, end, ranges, code, header, false);
  return buildParams(src, ranges);
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
