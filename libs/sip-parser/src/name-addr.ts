// name-addr / addr-spec with header parameters (RFC 3261 §20.10, §25.1): From, To, Contact,
// Route, Record-Route, Path, Refer-To…
//   ( name-addr / addr-spec ) *( SEMI generic-param ),
//   name-addr = [ display-name ] LAQUOT addr-spec RAQUOT,
//   display-name = *(token LWS) / quoted-string.
import { TOKEN_CHARS } from './chars.js';
import { ParseErrorCode } from './errors.js';
import { scanParams } from './params.js';
import { sourceOf, type Codes, type Source } from './source.js';
import { fail, readQuoted } from './text.js';
import { Address, FromToAddress } from './address.js';
import type { FromTo, NameAddr } from './types.js';

const CODE = ParseErrorCode.BadNameAddr;

/**
 * Builds the value of one name-addr from its pieces: the display name, the URI as written, and
 * the string its parameters are in with their ranges (params.ts scanParams).
 */
export type NameAddrBuild<T> = (
  displayName: string | undefined,
  uriText: string,
  src: Source,
  ranges: number[],
) => T;

/** Where the element parsed last ends in a list: the end of the value or the comma after it. */
export interface ListCursor {
  next: number;
}

function skipWs(b: Codes, i: number): number {
  let c = b[i]!;
  while (c === 32 || c === 9) c = b[++i]!;
  return i;
}

/**
 * Parses one element of `src[i, end)` and builds its value. With a `cursor` (a list), stops at the
 * comma that ends the element and sets `cursor.next`. RFC 3261 §20.10: in the addr-spec form the
 * URI ends at the first ";" (those parameters are header parameters) and may not contain "?" or
 * ",".
 */
export function parseNameAddrAt<T>(
  src: Source,
  i: number,
  end: number,
  header: string,
  cursor: ListCursor | undefined,
  build: NameAddrBuild<T>,
): T {
  const tok = TOKEN_CHARS;
  const b = src.b;
  const s = src.s;
  i = skipWs(b, i);
  let displayName: string | undefined;
  let la = -1;
  let c = b[i]!;
  if (c === 34) {
    const q = { value: '' };
    i = readQuoted(src, i, end, q);
    if (i < 0) fail(CODE, `unterminated display name in ${header}`, header);
    displayName = q.value;
    i = skipWs(b, i);
    if (i >= end || b[i]! !== 60) {
      fail(CODE, `expected < after display name in ${header}`, header);
    }
    la = i;
  } else if (c === 60 && i < end) {
    la = i;
  } else {
    // A token display name (RFC 4475 §3.1.1.6: accepted without LWS before "<"), or the
    // addr-spec form when something else than tokens and LWS comes first.
    let j = i;
    let last = i;
    while (c < 128 && (tok[c] === 1 || c === 32 || c === 9)) {
      if (c !== 32 && c !== 9) last = j + 1;
      c = b[++j]!;
    }
    if (c === 60 && j < end) {
      if (last > i) displayName = s.substring(i, last);
      la = j;
    } else if (c !== 58 && c !== 13 && s.indexOf('<', j) >= 0 && s.indexOf('<', j) < end) {
      fail(CODE, `display name in ${header} must be quoted`, header);
    }
  }
  let uriStart: number;
  let uriEnd: number;
  if (la >= 0) {
    uriStart = la + 1;
    uriEnd = s.indexOf('>', uriStart);
    if (uriEnd < 0 || uriEnd >= end) fail(CODE, `missing > in ${header}`, header);
    i = uriEnd + 1;
  } else {
    uriStart = i;
    c = b[i]!;
    while (i < end && c !== 59 && c !== 44 && c !== 32 && c !== 9) {
      if (c === 63) fail(CODE, `a URI with headers in ${header} must be in <>`, header);
      c = b[++i]!;
    }
    uriEnd = i;
  }
  if (uriEnd === uriStart) fail(CODE, `empty URI in ${header}`, header);
  const ranges: number[] = [];
  const next = scanParams(src, i, end, ranges, CODE, header, cursor !== undefined);
  if (cursor !== undefined) cursor.next = next;
  return build(displayName, s.substring(uriStart, uriEnd), src, ranges);
}

/** Parses every element of the list-valued field `src[start, end)` (Contact, Route, …). */
export function parseNameAddrList<T>(
  src: Source,
  start: number,
  end: number,
  header: string,
  out: T[],
  build: NameAddrBuild<T>,
): void {
  const cursor: ListCursor = { next: start };
  let i = start;
  for (;;) {
    out.push(parseNameAddrAt(src, i, end, header, cursor, build));
    if (cursor.next >= end) return;
    i = skipWs(src.b, cursor.next + 1);
    if (i >= end || src.b[i]! === 44) fail(CODE, `empty element in ${header} list`, header);
  }
}

function newNameAddr(
  displayName: string | undefined,
  uriText: string,
  src: Source,
  ranges: number[],
): NameAddr {
  return new Address(displayName, uriText, src, ranges);
}

function newFromTo(
  displayName: string | undefined,
  uriText: string,
  src: Source,
  ranges: number[],
): FromToAddress {
  return new FromToAddress(displayName, uriText, src, ranges);
}

/** A name-addr or addr-spec with parameters, nothing after it. */
export function parseNameAddrValue<T>(value: string, header: string, build: NameAddrBuild<T>): T {
  return parseNameAddrAt(sourceOf(value), 0, value.length, header, undefined, build);
}

/** Builds a NameAddr (Route, Record-Route, Path, …). */
export const toNameAddr: NameAddrBuild<NameAddr> = newNameAddr;

/** Parses a name-addr or addr-spec with parameters, URI included (for building and checking). */
export function parseNameAddr(text: string): NameAddr {
  const a = parseNameAddrValue(text, 'name-addr', newNameAddr);
  void a.uri;
  return a;
}

/** From / To `src[start, end)` (RFC 3261 §20.20, §20.39). The URI is parsed on first access. */
export function parseFromTo(src: Source, start: number, end: number, header: string): FromTo {
  const a = parseNameAddrAt(src, start, end, header, undefined, newFromTo);
  if (!a.tagHasValue()) fail(CODE, `tag without a value in ${header}`, header);
  return a;
}
