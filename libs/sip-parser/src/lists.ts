// RFC 3261 §7.3.1: a header field whose grammar is a comma-separated list may be written as
// several fields or as one field with several values. Commas inside quoted strings and inside
// <…> are not separators.
import type { ParseErrorCode } from './errors.js';
import { sourceOf, type Source } from './source.js';
import { fail, skipQuoted, skipWs, trimEnd } from './text.js';

/**
 * Appends the list elements of `value` to `out`, each trimmed. An empty element (`a,,b`,
 * a trailing comma) or an unbalanced quote or bracket throws `code`.
 */
export function splitList(
  value: string,
  out: string[],
  code: ParseErrorCode,
  header: string,
): string[] {
  const end = value.length;
  if (value.indexOf(',') < 0) {
    const s = skipWs(value, 0, end);
    const e = trimEnd(value, s, end);
    if (s === e) fail(code, `empty ${header} value`, header);
    out.push(s === 0 && e === end ? value : value.substring(s, e));
    return out;
  }
  let src: Source | undefined;
  let start = 0;
  let i = 0;
  while (i <= end) {
    const c = i < end ? value.charCodeAt(i) : 44;
    if (c === 34) {
      i = skipQuoted((src ??= sourceOf(value)), i, end);
      if (i < 0) fail(code, `unterminated quoted string in ${header}`, header);
      continue;
    }
    if (c === 60) {
      const close = value.indexOf('>', i + 1);
      if (close < 0) fail(code, `unterminated <…> in ${header}`, header);
      i = close + 1;
      continue;
    }
    if (c === 44) {
      const s = skipWs(value, start, i);
      const e = trimEnd(value, s, i);
      if (s === e) fail(code, `empty element in ${header} list`, header);
      out.push(value.substring(s, e));
      start = i + 1;
    }
    i++;
  }
  return out;
}
