// One pass over the header section of a message, byte by byte: records each field's name and
// value offsets (see headers.ts ENTRY_*), unfolds nothing, decodes nothing.
// RFC 3261 §7.3.1: header-name HCOLON value, HCOLON = *( SP / HTAB ) ":" SWS; a line that
// starts with SP or HTAB continues the previous one (folding).
import { C_TOKEN, CHARS } from './chars.js';
import { ParseErrorCode, SipParseError } from './errors.js';
import { headerIdAt } from './header-names.js';
import { FLAG_FOLDED, FLAG_UTF8 } from './headers.js';

function err(code: ParseErrorCode, message: string, offset: number): never {
  throw new SipParseError(code, message, { offset });
}

/**
 * Scans header fields from `i` (the first byte after the start line) and pushes 6 numbers per
 * field to `out`. Returns the index of the first body byte. Without a closing empty line, the
 * end of a datagram ends the header section (RFC 4475 baddn); otherwise it is an error.
 */
export function scanHeaders(
  buf: Uint8Array,
  i: number,
  len: number,
  datagram: boolean,
  limit: number,
  out: number[],
): number {
  for (;;) {
    if (i >= len) {
      if (datagram) return len;
      err(ParseErrorCode.IncompleteHeaders, 'header section not terminated', i);
    }
    if (i > limit) err(ParseErrorCode.HeaderTooLarge, 'header section too large', i);
    let c = buf[i]!;
    if (c === 13) {
      if (i + 1 < len && buf[i + 1] === 10) return i + 2;
      err(ParseErrorCode.BadLineEnd, 'CR without LF', i);
    }
    const ns = i;
    while (c < 128 && (CHARS[c]! & C_TOKEN) !== 0) {
      if (++i >= len) break;
      c = buf[i]!;
    }
    const ne = i;
    if (ne === ns) {
      err(ParseErrorCode.BadHeaderLine, c === 10 ? 'bare LF' : 'header name expected', i);
    }
    while (c === 32 || c === 9) c = buf[++i]!;
    if (c !== 58 || i >= len) err(ParseErrorCode.BadHeaderLine, 'header line without colon', ns);
    i++;
    // LWS before the value, which may include a fold.
    for (;;) {
      c = buf[i]!;
      if (c === 32 || c === 9) i++;
      else if (c === 13 && buf[i + 1] === 10 && (buf[i + 2] === 32 || buf[i + 2] === 9)) i += 3;
      else break;
    }
    const vs = i;
    let ve = i;
    let flags = 0;
    for (;;) {
      if (i >= len) {
        if (!datagram) err(ParseErrorCode.IncompleteHeaders, 'header section not terminated', i);
        i = len;
        break;
      }
      c = buf[i]!;
      if (c === 13) {
        if (i + 1 >= len || buf[i + 1] !== 10) err(ParseErrorCode.BadLineEnd, 'CR without LF', i);
        const n = i + 2 < len ? buf[i + 2]! : 0;
        if (n === 32 || n === 9) {
          flags |= FLAG_FOLDED;
          i += 3;
          continue;
        }
        i += 2;
        break;
      }
      if (c === 10) err(ParseErrorCode.BadLineEnd, 'bare LF', i);
      if (c !== 32 && c !== 9) {
        ve = i + 1;
        if (c >= 128) flags |= FLAG_UTF8;
      }
      i++;
    }
    out.push(headerIdAt(buf, ns, ne), ns, ne, vs, ve, flags);
  }
}
