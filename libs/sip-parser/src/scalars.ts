// Single-valued headers with a small grammar: CSeq, Call-ID, Max-Forwards, Expires,
// Min-Expires, Content-Type, Retry-After.
import { TOKEN_CHARS, WORD_CHARS } from './chars.js';
import { ParseErrorCode } from './errors.js';
import { methodName } from './methods.js';
import { parseParams } from './params.js';
import type { Source } from './source.js';
import { fail, parseBoundedInt, parseDigits, scanToken, skipWs, trimEnd } from './text.js';
import type { CSeq, RetryAfter } from './types.js';

/** RFC 3261 §8.1.1.5: the CSeq sequence number MUST be less than 2^31. */
export const MAX_CSEQ = 0x7fffffff;
/** delta-seconds are 32-bit (RFC 3261 §20.19 et al.; RFC 4475 §3.1.2.9). */
export const MAX_DELTA_SECONDS = 0xffffffff;

/** CSeq = 1*DIGIT LWS Method (RFC 3261 §20.16), from `src[start, end)`. */
export function parseCseq(src: Source, start: number, end: number): CSeq {
  const b = src.b;
  let i = start;
  let c = b[i]!;
  while ((c === 32 || c === 9) && i < end) c = b[++i]!;
  const ds = i;
  let seq = 0;
  while (c >= 48 && c <= 57 && i < end) {
    seq = seq * 10 + (c - 48); // past 2^53 imprecise but still above MAX_CSEQ
    c = b[++i]!;
  }
  if (i === ds) fail(ParseErrorCode.BadCseq, 'CSeq number missing', 'cseq');
  if (seq > MAX_CSEQ) fail(ParseErrorCode.BadCseq, 'CSeq number above 2^31-1', 'cseq');
  const de = i;
  while ((c === 32 || c === 9) && i < end) c = b[++i]!;
  if (i === de) fail(ParseErrorCode.BadCseq, 'CSeq needs LWS before the method', 'cseq');
  const tok = TOKEN_CHARS;
  const ms = i;
  while (c < 128 && tok[c] === 1 && i < end) c = b[++i]!;
  const me = i;
  while ((c === 32 || c === 9) && i < end) c = b[++i]!;
  if (me === ms || i !== end) fail(ParseErrorCode.BadCseq, 'CSeq method is not a token', 'cseq');
  return { seq, method: methodName(b, src.s, ms, me) };
}

/** Call-ID = word [ "@" word ] (RFC 3261 §20.8) in `src[start, end)`; returns it. */
export function checkCallId(src: Source, start: number, end: number): string {
  const word = WORD_CHARS;
  const b = src.b;
  let at = 0;
  let i = start;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c === 64) {
      if (at++ > 0 || i === start) break;
    } else if (c >= 128 || word[c] !== 1) break;
  }
  if (i !== end || end === start || b[end - 1] === 64) {
    fail(ParseErrorCode.BadCallId, 'Call-ID is not word [@ word]', 'call-id');
  }
  return src.s.substring(start, end);
}

/** Max-Forwards = 1*DIGIT, 0–255 (RFC 3261 §20.22), from `src[start, end)`. */
export function parseMaxForwards(src: Source, start: number, end: number): number {
  const b = src.b;
  let n = end - start > 3 || end === start ? -1 : 0;
  for (let i = start; i < end && n >= 0; i++) {
    const c = b[i]!;
    n = c >= 48 && c <= 57 ? n * 10 + c - 48 : -1;
  }
  if (n < 0 || n > 255) {
    // Leading zeros are allowed (RFC 4475 wsinv: 0068).
    const m = parseBoundedInt(src.s.substring(start, end), 255);
    if (m >= 0) return m;
    fail(ParseErrorCode.BadMaxForwards, 'Max-Forwards is not 0-255', 'max-forwards');
  }
  return n;
}

/** delta-seconds for Expires / Min-Expires (RFC 3261 §20.19, §20.23). */
export function parseDeltaSeconds(value: string, header: string): number {
  const n = parseBoundedInt(value, MAX_DELTA_SECONDS);
  if (n < 0) fail(ParseErrorCode.BadNumber, `${header} is not delta-seconds`, header);
  return n;
}

/** media-type = m-type SLASH m-subtype *(SEMI m-parameter); returns `type/subtype` lower-cased. */
export function parseContentType(value: string): string {
  const end = value.length;
  const ts = skipWs(value, 0, end);
  const te = scanToken(value, ts, end);
  let i = skipWs(value, te, end);
  if (te === ts || value.charCodeAt(i) !== 47) {
    fail(ParseErrorCode.BadHeaderValue, 'Content-Type is not type/subtype', 'content-type');
  }
  const ss = skipWs(value, i + 1, end);
  const se = scanToken(value, ss, end);
  if (se === ss) fail(ParseErrorCode.BadHeaderValue, 'Content-Type subtype', 'content-type');
  i = skipWs(value, se, end);
  parseParams(value, i, end, ParseErrorCode.BadHeaderValue, 'content-type');
  return (value.substring(ts, te) + '/' + value.substring(ss, se)).toLowerCase();
}

/** Retry-After = delta-seconds [ comment ] *( SEMI retry-param ) (RFC 3261 §20.33). */
export function parseRetryAfter(value: string): RetryAfter {
  const code = ParseErrorCode.BadHeaderValue;
  const end = value.length;
  let i = skipWs(value, 0, end);
  const ds = i;
  while (i < end && value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57) i++;
  const seconds = parseDigits(value, ds, i);
  if (seconds < 0 || seconds > MAX_DELTA_SECONDS) fail(code, 'Retry-After seconds', 'retry-after');
  i = skipWs(value, i, end);
  let comment: string | undefined;
  if (value.charCodeAt(i) === 40) {
    const ce = commentEnd(value, i, end);
    if (ce < 0) fail(code, 'unterminated Retry-After comment', 'retry-after');
    comment = value.substring(i + 1, ce - 1).trim();
    i = ce;
  }
  const params = parseParams(value, i, end, code, 'retry-after');
  let duration: number | undefined;
  const d = params.duration;
  if (d !== undefined) {
    duration = d === null ? -1 : parseBoundedInt(d, MAX_DELTA_SECONDS);
    if (duration < 0) fail(code, 'Retry-After duration', 'retry-after');
  }
  return { seconds, duration, comment };
}

/** Index after the comment "(…)" at `i` (nested comments and quoted-pairs), or -1. */
function commentEnd(s: string, i: number, end: number): number {
  let depth = 0;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 13 || c === 10) return -1;
    if (c === 92) i++;
    else if (c === 40) depth++;
    else if (c === 41 && --depth === 0) return i + 1;
  }
  return -1;
}

/** Option tags (Supported, Require, Proxy-Require, Unsupported), lower-cased. */
export function parseOptionTags(elements: readonly string[], header: string): string[] {
  const out: string[] = [];
  for (const e of elements) {
    const t = trimEnd(e, 0, e.length);
    if (scanToken(e, 0, t) !== t) fail(ParseErrorCode.BadHeaderValue, `bad option tag`, header);
    out.push(e.toLowerCase());
  }
  return out;
}
