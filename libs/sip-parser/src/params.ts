// Header parameters: *( SEMI generic-param ), generic-param = token [ EQUAL gen-value ],
// gen-value = token / host / quoted-string (RFC 3261 §25.1). SEMI and EQUAL allow LWS around.
// Values are kept as written (a quoted value keeps its quotes); names are lower-cased.
import { C_PVAL, is } from './chars.js';
import type { ParseErrorCode } from './errors.js';
import { fail, lower, scanToken, skipQuoted, skipWs } from './text.js';

export type MutableParams = Record<string, string | null>;

/** A parameter record that cannot be confused with Object.prototype members. */
export function newParams(): MutableParams {
  return Object.create(null) as MutableParams;
}

export const NO_PARAMS: Readonly<Record<string, never>> = Object.freeze(
  Object.create(null) as Record<string, never>,
);

/**
 * Parses `;name[=value]…` from `i` to `end` into `out`. Anything but a parameter list there
 * throws `code`. The first occurrence of a name wins.
 */
export function parseParams(
  s: string,
  i: number,
  end: number,
  out: MutableParams,
  code: ParseErrorCode,
  header: string,
): void {
  for (;;) {
    i = skipWs(s, i, end);
    if (i >= end) return;
    if (s.charCodeAt(i) !== 59) fail(code, `unexpected character in ${header} parameters`, header);
    i = skipWs(s, i + 1, end);
    const nameStart = i;
    i = scanToken(s, i, end);
    if (i === nameStart) fail(code, `empty parameter name in ${header}`, header);
    const name = lower(s.substring(nameStart, i));
    i = skipWs(s, i, end);
    let value: string | null = null;
    if (i < end && s.charCodeAt(i) === 61) {
      i = skipWs(s, i + 1, end);
      const valueStart = i;
      if (i < end && s.charCodeAt(i) === 34) {
        i = skipQuoted(s, i, end);
        if (i < 0) fail(code, `unterminated quoted parameter value in ${header}`, header);
      } else {
        while (i < end && is(s.charCodeAt(i), C_PVAL)) i++;
      }
      if (i === valueStart) fail(code, `parameter ${name} has an empty value in ${header}`, header);
      value = s.substring(valueStart, i);
    }
    if (out[name] === undefined) out[name] = value;
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
