// One pass over the header section: records each field's name and value offsets (see
// headers.ts ENTRY_*), unfolds nothing, decodes nothing. It works on the section decoded as
// latin1 (one character per octet, so offsets are octet offsets) and finds line ends with
// String.prototype.indexOf, several times faster than a byte loop in JavaScript.
// RFC 3261 §7.3.1: header-name HCOLON value, HCOLON = *( SP / HTAB ) ":" SWS; a line that
// starts with SP or HTAB continues the previous one (folding). Lines end in CRLF: a bare CR or
// LF is an error (a peer that reads it as a line end would see other fields than we do).
import { C_TOKEN, CHARS } from './chars.js';
import { ParseErrorCode, SipParseError } from './errors.js';
import { headerIdIn } from './header-names.js';
import { FLAG_FOLDED, FLAG_UTF8 } from './headers.js';

function err(code: ParseErrorCode, message: string, offset: number): never {
  throw new SipParseError(code, message, { offset });
}

function hasHighChar(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (s.charCodeAt(i) > 127) return true;
  return false;
}

/**
 * Scans header fields of `s` (latin1) from `i`, the first character after the start line, and
 * pushes 6 numbers per field to `out`. Returns the index of the first body octet. Without a
 * closing empty line the end of a datagram ends the header section (RFC 4475 baddn); on a
 * stream it is an error. `ascii` says the whole buffer is 7-bit (no value needs UTF-8).
 */
export function scanHeaders(
  s: string,
  i: number,
  datagram: boolean,
  ascii: boolean,
  limit: number,
  out: number[],
): number {
  const len = s.length;
  let n = 0;
  for (;;) {
    if (i >= len) {
      if (!datagram) err(ParseErrorCode.IncompleteHeaders, 'header section not terminated', i);
      out.length = n;
      return len;
    }
    if (i > limit) err(ParseErrorCode.HeaderTooLarge, 'header section too large', i);
    const ns = i;
    let c = s.charCodeAt(i);
    if (c === 13) {
      if (s.charCodeAt(i + 1) !== 10) err(ParseErrorCode.BadLineEnd, 'CR without LF', i);
      out.length = n;
      return i + 2;
    }
    // The name runs to the colon (RFC 3261 §7.3.1: HCOLON = *( SP / HTAB ) ":" SWS).
    while (c < 128 && (CHARS[c]! & C_TOKEN) !== 0) c = s.charCodeAt(++i);
    const ne = i;
    if (ne === ns) err(ParseErrorCode.BadHeaderLine, 'header name expected', i);
    while (c === 32 || c === 9) c = s.charCodeAt(++i);
    if (c !== 58) err(ParseErrorCode.BadHeaderLine, 'header line without colon', i);
    const colon = i;
    // The line end: every CR must start a CRLF, every LF must end one.
    let cr = s.indexOf('\r', i);
    const lf = s.indexOf('\n', i);
    if (lf >= 0 && (cr < 0 || lf < cr)) err(ParseErrorCode.BadLineEnd, 'bare LF', lf);
    if (cr < 0) {
      if (!datagram) err(ParseErrorCode.IncompleteHeaders, 'header section not terminated', i);
      cr = len; // the datagram's end ends the line
    } else if (lf !== cr + 1) err(ParseErrorCode.BadLineEnd, 'CR without LF', cr);
    const id = headerIdIn(s, ns, ne);
    // LWS after the colon, which may include a fold.
    i = colon + 1;
    c = s.charCodeAt(i);
    for (;;) {
      if (c === 32 || c === 9) c = s.charCodeAt(++i);
      else if (i === cr && cr < len && isFold(s, cr)) {
        i = cr + 2;
        c = s.charCodeAt(i);
        cr = nextLineEnd(s, i, datagram);
      } else break;
    }
    const vs = i;
    let flags = 0;
    while (cr < len && isFold(s, cr)) {
      flags = FLAG_FOLDED;
      cr = nextLineEnd(s, cr + 2, datagram);
    }
    let ve = cr;
    for (c = s.charCodeAt(ve - 1); ve > vs && (c === 32 || c === 9); c = s.charCodeAt(--ve - 1));
    if (!ascii && hasHighChar(s, vs, ve)) flags |= FLAG_UTF8;
    out[n] = id;
    out[n + 1] = ns;
    out[n + 2] = ne;
    out[n + 3] = vs;
    out[n + 4] = ve;
    out[n + 5] = flags;
    n += 6;
    i = cr + 2;
  }
}

/** True when the CRLF at `cr` is followed by SP or HTAB: the field goes on (RFC 3261 §7.3.1). */
function isFold(s: string, cr: number): boolean {
  const c = s.charCodeAt(cr + 2);
  return c === 32 || c === 9;
}

/** The CR of the CRLF that ends the line starting at `i` (checked as in scanHeaders). */
function nextLineEnd(s: string, i: number, datagram: boolean): number {
  const cr = s.indexOf('\r', i);
  const lf = s.indexOf('\n', i);
  if (lf >= 0 && (cr < 0 || lf < cr)) err(ParseErrorCode.BadLineEnd, 'bare LF', lf);
  if (cr < 0) {
    if (!datagram) err(ParseErrorCode.IncompleteHeaders, 'header section not terminated', i);
    return s.length;
  }
  if (lf !== cr + 1) err(ParseErrorCode.BadLineEnd, 'CR without LF', cr);
  return cr;
}
