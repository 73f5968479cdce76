// Small scanning steps over a header value string shared by the typed header parsers. Values
// reach them unfolded (RFC 3261 §7.3.1: folding is one SP), so whitespace is SP or HTAB only.
import { C_TOKEN, is } from './chars.js';
import { SipParseError, type ParseErrorCode } from './errors.js';
import type { Source } from './source.js';

export function fail(code: ParseErrorCode, message: string, header?: string): never {
  throw new SipParseError(code, message, header === undefined ? undefined : { header });
}

/** Index of the first non-SP/HTAB character at or after `i` (bounded by `end`). */
export function skipWs(s: string, i: number, end: number): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

/** Index just after the last non-SP/HTAB character before `end` (not below `start`). */
export function trimEnd(s: string, start: number, end: number): number {
  while (end > start) {
    const c = s.charCodeAt(end - 1);
    if (c !== 32 && c !== 9) break;
    end--;
  }
  return end;
}

/** Index of the first non-token character at or after `i`. */
export function scanToken(s: string, i: number, end: number): number {
  while (i < end && is(s.charCodeAt(i), C_TOKEN)) i++;
  return i;
}

/**
 * The decimal value of `s[start, end)`, or -1 when it is empty or holds a non-digit. Values
 * beyond 2^53 lose precision but never wrap, so range checks against them stay correct.
 */
export function parseDigits(s: string, start: number, end: number): number {
  if (start >= end) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

/** A whole value that must be 1*DIGIT within [0, max]; -1 otherwise. */
export function parseBoundedInt(s: string, max: number): number {
  const start = skipWs(s, 0, s.length);
  const end = trimEnd(s, start, s.length);
  const n = parseDigits(s, start, end);
  return n > max ? -1 : n;
}

/**
 * Reads the quoted-string of `src` starting at the DQUOTE at `i` (RFC 3261 §25.1: quoted-pair
 * is "\" and any octet but CR/LF). Returns the index after the closing quote, or -1 when
 * unterminated. The unescaped content goes to `out.value`.
 */
export function readQuoted(src: Source, i: number, end: number, out: { value: string }): number {
  const q = plainQuotedEnd(src, i, end);
  const s = src.s;
  if (q > 0) {
    out.value = s.substring(i + 1, q - 1);
    return q;
  }
  const b = src.b;
  let j = i + 1;
  let chunkStart = j;
  let value = '';
  while (j < end) {
    const c = b[j];
    if (c === 34) {
      out.value = value + s.substring(chunkStart, j);
      return j + 1;
    }
    if (c === 13 || c === 10) return -1; // neither qdtext nor quoted-pair holds CR or LF
    if (c === 92) {
      if (j + 1 >= end || b[j + 1] === 13 || b[j + 1] === 10) return -1;
      value += s.substring(chunkStart, j);
      chunkStart = j + 1; // the escaped character starts the next chunk
      j += 2;
      continue;
    }
    j++;
  }
  return -1;
}

/**
 * The common case: the index after the closing quote of the quoted-string at `i` when it holds
 * no backslash, CR or LF, else 0 (look closer). The closing quote is found with a native search.
 */
function plainQuotedEnd(src: Source, i: number, end: number): number {
  const q = src.s.indexOf('"', i + 1);
  if (q < 0 || q >= end) return 0;
  const b = src.b;
  for (let j = i + 1; j < q; j++) {
    const c = b[j];
    if (c === 92 || c === 13 || c === 10) return 0;
  }
  return q + 1;
}

/** Index after the quoted-string of `src` starting at `i`, or -1 when unterminated. */
export function skipQuoted(src: Source, i: number, end: number): number {
  const q = plainQuotedEnd(src, i, end);
  if (q > 0) return q;
  const b = src.b;
  let j = i + 1;
  while (j < end) {
    const c = b[j];
    if (c === 34) return j + 1;
    if (c === 13 || c === 10) return -1; // neither qdtext nor quoted-pair holds CR or LF
    j += c === 92 ? 2 : 1;
  }
  return -1;
}

/** True when every character of `s` is an ASCII lower-case letter, digit or token mark. */
export function isLowerAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return false;
  }
  return true;
}

export function lower(s: string): string {
  return isLowerAscii(s) ? s : s.toLowerCase();
}
