// One pass over the header section: records each field's name and value offsets (see
// headers.ts ENTRY_*), unfolds nothing, decodes nothing. It finds line ends in the section
// decoded as latin1 (one character per octet, so offsets are octet offsets) with
// String.prototype.indexOf, several times faster than a byte loop in JavaScript, and reads the
// octets themselves from the Buffer, faster than charCodeAt (see source.ts).
// RFC 3261 §7.3.1: header-name HCOLON value, HCOLON = *( SP / HTAB ) ":" SWS; a line that
// starts with SP or HTAB continues the previous one (folding). Lines end in CRLF: a bare CR or
// LF is an error (a peer that reads it as a line end would see other fields than we do).
import { ParseErrorCode, SipParseError } from './errors.js';
import { NAME_TRIE, TRIE_ROOT } from './header-names.js';
import { ENTRY_SIZE, FLAG_FOLDED, FLAG_UTF8, HeaderList } from './headers.js';

function err(code: ParseErrorCode, message: string, offset: number): never {
  throw new SipParseError(code, message, { offset });
}

function hasHighChar(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i]! > 127) return true;
  return false;
}

/**
 * Scans the header fields of `s`, `buf` decoded as latin1, from `i`, the first character after
 * the start line. Returns them as a HeaderList (ENTRY_SIZE numbers per field, see headers.ts
 * ENTRY_*) whose `sectionEnd` is the index of the first body octet. Without a closing empty
 * line the end of a datagram ends the header section (RFC 4475 baddn); on a stream it is an
 * error. `ascii` says the whole buffer is 7-bit (no value needs UTF-8).
 */
export function scanHeaders(
  buf: Buffer,
  s: string,
  i: number,
  datagram: boolean,
  ascii: boolean,
  limit: number,
): HeaderList {
  // The octets read here end with the text (reading past it gives undefined, as charCodeAt
  // would give NaN): the text is all of a small message, or its header section.
  const len = s.length;
  const b = buf.length === len ? buf : buf.subarray(0, len);
  const out = new HeaderList(b, s);
  const { code, next, id: trieId } = NAME_TRIE;
  const e = out.scanned;
  let n = 0;
  for (;;) {
    if (i >= len) {
      if (!datagram) err(ParseErrorCode.IncompleteHeaders, 'header section not terminated', i);
      out.count = n / ENTRY_SIZE;
      out.sectionEnd = len;
      return out;
    }
    if (i > limit) err(ParseErrorCode.HeaderTooLarge, 'header section too large', i);
    const ns = i;
    let c = b[i]!;
    if (c === 13) {
      if (b[i + 1]! !== 10) err(ParseErrorCode.BadLineEnd, 'CR without LF', i);
      out.count = n / ENTRY_SIZE;
      out.sectionEnd = i + 2;
      return out;
    }
    // The name runs to the colon (RFC 3261 §7.3.1: HCOLON = *( SP / HTAB ) ":" SWS); walking
    // the name trie on the way recognises it.
    let node = TRIE_ROOT;
    for (;;) {
      const k = c < 128 ? code[c]! : 0;
      if (k === 0) break;
      node = next[(node << 5) | k]!; // 0 once off the trie: an unknown name, still checked
      c = b[++i]!;
    }
    const ne = i;
    if (ne === ns) err(ParseErrorCode.BadHeaderLine, 'header name expected', i);
    while (c === 32 || c === 9) c = b[++i]!;
    if (c !== 58) err(ParseErrorCode.BadHeaderLine, 'header line without colon', i);
    // The line ends at LF, which must follow a CR: a bare LF would end the line for a lenient
    // peer and not for us. (A CR not followed by LF stays in the value; typed accessors refuse it.)
    let eol = lineEnd(s, b, i, datagram);
    const id = trieId[node]!;
    // LWS after the colon, which may include a fold.
    c = b[++i]!;
    for (;;) {
      if (c === 32 || c === 9) c = b[++i]!;
      else if (i === eol && eol < len && isFold(b, eol)) {
        i = eol + 2;
        c = b[i]!;
        eol = lineEnd(s, b, i, datagram);
      } else break;
    }
    const vs = i;
    let flags = 0;
    while (eol < len && isFold(b, eol)) {
      flags = FLAG_FOLDED;
      eol = lineEnd(s, b, eol + 2, datagram);
    }
    // Trailing LWS, folds included (a value may end with a fold of blanks).
    let ve = eol;
    while (ve > vs) {
      c = b[ve - 1]!;
      if (c === 32 || c === 9) ve--;
      else if (c === 10 && flags !== 0) ve -= 2;
      else break;
    }
    if (!ascii && hasHighChar(b, vs, ve)) flags |= FLAG_UTF8;
    e[n] = (id << 2) | flags; // ENTRY_KEY
    e[n + 1] = ns;
    e[n + 2] = vs;
    e[n + 3] = ve;
    n += ENTRY_SIZE;
    i = eol + 2;
  }
}

/** True when the CRLF at `cr` is followed by SP or HTAB: the field goes on (RFC 3261 §7.3.1). */
function isFold(b: Uint8Array, cr: number): boolean {
  const c = b[cr + 2]!;
  return c === 32 || c === 9;
}

/** The CR of the CRLF that ends the line holding `i`; the end of a datagram ends it too. */
function lineEnd(s: string, b: Uint8Array, i: number, datagram: boolean): number {
  const lf = s.indexOf('\n', i);
  if (lf < 0) {
    if (!datagram) err(ParseErrorCode.IncompleteHeaders, 'header section not terminated', i);
    return s.length;
  }
  if (b[lf - 1]! !== 13) err(ParseErrorCode.BadLineEnd, 'bare LF', lf);
  return lf - 1;
}
