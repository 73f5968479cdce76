// RFC 3261 §19.1.2 / §25.1: escaped = "%" HEXDIG HEXDIG. Decoding happens once (a decoded
// "%41" stays "%41" text: RFC 4475 §3.1.1.3); octets that form UTF-8 decode as UTF-8, others
// one character per octet.
import { CHARS, hexValue } from './chars.js';

/**
 * Validates `s[start, end)` against char class `flag` plus escapes. Returns -1 when valid, the
 * offending index otherwise.
 */
export function checkEscaped(s: string, start: number, end: number, flag: number): number {
  const chars = CHARS;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      if (i + 2 >= end) return i;
      if (hexValue(s.charCodeAt(i + 1)) < 0 || hexValue(s.charCodeAt(i + 2)) < 0) return i;
      i += 2;
      continue;
    }
    if (c >= 128 || (chars[c]! & flag) === 0) return i;
  }
  return -1;
}

/** `s[start, end)` with its escapes decoded (assumes `checkEscaped` passed). */
export function unescapeRange(s: string, start: number, end: number): string {
  const pct = s.indexOf('%', start);
  if (pct < 0 || pct >= end) return s.substring(start, end);
  const bytes: number[] = [];
  let high = false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      const b = (hexValue(s.charCodeAt(i + 1)) << 4) | hexValue(s.charCodeAt(i + 2));
      if (b >= 128) high = true;
      bytes.push(b);
      i += 2;
    } else bytes.push(c);
  }
  if (!high) return String.fromCharCode(...bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return String.fromCharCode(...bytes);
  }
}

const HEX = '0123456789ABCDEF';

/** `value` with every character outside class `flag` (and "%") percent-encoded as UTF-8. */
export function escapeChars(value: string, flag: number): string {
  const chars = CHARS;
  let i = 0;
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 37 || c >= 128 || (chars[c]! & flag) === 0) break;
  }
  if (i === value.length) return value;
  let out = value.substring(0, i);
  for (const b of Buffer.from(value.substring(i), 'utf8')) {
    if (b !== 37 && b < 128 && (chars[b]! & flag) !== 0) out += String.fromCharCode(b);
    else out += '%' + HEX[b >> 4]! + HEX[b & 15]!;
  }
  return out;
}
