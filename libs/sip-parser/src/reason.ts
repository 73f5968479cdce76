// Reason (RFC 3326): Reason = "Reason" HCOLON reason-value *(COMMA reason-value),
// reason-value = protocol *(SEMI reason-params), reason-params = protocol-cause / reason-text /
// reason-extension; protocol-cause = "cause" EQUAL cause, reason-text = "text" EQUAL quoted-string.
import { ParseErrorCode } from './errors.js';
import { parseParams, unquote } from './params.js';
import { fail, parseDigits, scanToken, skipWs } from './text.js';
import type { Reason } from './types.js';

const CODE = ParseErrorCode.BadHeaderValue;

/** Parses one reason-value (one element of a Reason list). */
export function parseReason(value: string): Reason {
  const end = value.length;
  const ps = skipWs(value, 0, end);
  const pe = scanToken(value, ps, end);
  if (pe === ps) fail(CODE, 'Reason has no protocol', 'reason');
  const params = parseParams(value, pe, value.length, CODE, 'reason');
  let cause: number | undefined;
  const c = params.cause;
  if (c !== undefined) {
    cause = c === null || c.length > 9 ? -1 : parseDigits(c, 0, c.length);
    if (cause < 0) fail(CODE, 'Reason cause is not a number', 'reason');
  }
  const t = params.text;
  if (t === null) fail(CODE, 'Reason text without a value', 'reason');
  return {
    protocol: value.substring(ps, pe),
    cause,
    text: t === undefined ? undefined : unquote(t),
    params,
  };
}
