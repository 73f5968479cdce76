// The ordered header fields of a message. A parsed message keeps offsets into its buffer
// (ENTRY_SIZE numbers per field, see ENTRY_*) and decodes a value only when asked. An edit
// does not copy the fields: the list becomes references, to a scanned field (an index, ≥ 0) or
// to a field added by an edit (~index into `added`), so that the serializer can copy every
// untouched line from the buffer. Every edit bumps `gen`, which the typed caches follow.
import { C_TOKEN, CHARS, TOKEN_CHARS } from './chars.js';
import { ParseErrorCode, SipParseError } from './errors.js';
import { H_UNKNOWN, canonicalName, headerId, lowerName } from './header-names.js';
import { sourceOf, type Source } from './source.js';
import type { SipHeaders } from './types.js';

/** Numbers per scanned field: key, name start, value start, value end (offsets in the text). */
export const ENTRY_SIZE = 4;
/** `id << 2 | flags`: the header id (H_UNKNOWN = -1 too) is `key >> 2`, the flags `key & 3`. */
export const ENTRY_KEY = 0;
export const ENTRY_NAME_START = 1;
export const ENTRY_VALUE_START = 2;
export const ENTRY_VALUE_END = 3;
/** The value spans folded lines: replace each fold by one SP (RFC 3261 §7.3.1). */
export const FLAG_FOLDED = 1;
/** The value holds octets above 0x7F: decode it as UTF-8. */
export const FLAG_UTF8 = 2;

/** Fields added by edits (or by building a message), one array per property. */
interface Added {
  readonly ids: number[];
  /** Lower-case full names. */
  readonly names: string[];
  /** Names as they are written out: canonical for known headers, as given otherwise. */
  readonly spellings: string[];
  readonly values: string[];
}

const EMPTY_CODES = new Uint8Array(0);

function unfold(v: string): string {
  return v.replace(/[ \t]*\r\n[ \t]+/g, ' ');
}

function checkName(name: string): void {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 128 || (CHARS[c]! & C_TOKEN) === 0) {
      throw new SipParseError(ParseErrorCode.BadHeaderLine, `header name is not a token`);
    }
  }
  if (name.length === 0) throw new SipParseError(ParseErrorCode.BadHeaderLine, 'empty name');
}

function checkValue(value: string, header: string): void {
  if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
    throw new SipParseError(ParseErrorCode.BadHeaderValue, 'header value holds CR or LF', {
      header,
    });
  }
}

// Fields are declared (no class-field initialisers) and assigned in the constructor in one order.
export class HeaderList implements SipHeaders {
  /** Bumped by every edit. */
  declare gen: number;
  /** @internal The scanned fields (scan.ts fills them): ENTRY_SIZE numbers each. */
  declare scanned: number[];
  /** @internal How many fields were scanned. */
  declare count: number;
  /** @internal Where the scanned header section ends (the first body octet). */
  declare sectionEnd: number;
  /** Set by `source` and `rawLine`: a range in the string or buffer they refer to. */
  declare srcStart: number;
  declare srcEnd: number;
  declare private readonly buf: Buffer | undefined;
  /** @internal The message text (latin1) the scanned fields' offsets refer to; '' if built. */
  declare readonly text: string;
  /** The message text with its octets (an empty text for a built message). */
  declare private readonly textSource: Source;
  /** After the first edit (always for a built message): the fields as references. */
  declare private refs: number[] | undefined;
  declare private added: Added | undefined;

  /** Fields of a parsed message (`text` is `buf` decoded as latin1 up to the body), or none. */
  constructor(buf: Buffer | undefined, text: string) {
    this.gen = 0;
    this.scanned = buf === undefined ? [] : new Array<number>(16 * ENTRY_SIZE);
    this.count = 0;
    this.sectionEnd = 0;
    this.srcStart = 0;
    this.srcEnd = 0;
    this.buf = buf;
    this.text = text;
    this.textSource = { s: text, b: buf ?? EMPTY_CODES };
    this.refs = buf === undefined ? [] : undefined;
    this.added = undefined;
  }

  size(): number {
    return this.refs === undefined ? this.count : this.refs.length;
  }

  /** The reference of field k: a scanned field's index (≥ 0), or ~index into `added`. */
  private ref(k: number): number {
    return this.refs === undefined ? k : this.refs[k]!;
  }

  idAt(k: number): number {
    const r = this.ref(k);
    return r >= 0 ? this.scanned[r * ENTRY_SIZE]! >> 2 : this.added!.ids[~r]!;
  }

  valueAt(k: number): string {
    const r = this.ref(k);
    if (r < 0) return this.added!.values[~r]!;
    const o = r * ENTRY_SIZE;
    const e = this.scanned;
    const flags = e[o + ENTRY_KEY]! & 3;
    const vs = e[o + ENTRY_VALUE_START]!;
    const ve = e[o + ENTRY_VALUE_END]!;
    if (flags === 0) return this.text.substring(vs, ve);
    const v =
      (flags & FLAG_UTF8) !== 0 ? this.buf!.toString('utf8', vs, ve) : this.text.substring(vs, ve);
    return (flags & FLAG_FOLDED) !== 0 ? unfold(v) : v;
  }

  /**
   * The source (see source.ts) that holds field k's value, its range in `srcStart`/`srcEnd`:
   * the message text and octets themselves for a one-line ASCII value (no copy; a CR follows
   * the range), else the decoded value.
   */
  source(k: number): Source {
    const r = this.ref(k);
    if (r >= 0) {
      const o = r * ENTRY_SIZE;
      const e = this.scanned;
      if ((e[o + ENTRY_KEY]! & 3) === 0) {
        this.srcStart = e[o + ENTRY_VALUE_START]!;
        this.srcEnd = e[o + ENTRY_VALUE_END]!;
        return this.textSource;
      }
    }
    return this.decodedSource(k);
  }

  /** `source` for a value that is not one ASCII line of the message text: a decoded copy. */
  private decodedSource(k: number): Source {
    const v = this.valueAt(k);
    this.srcStart = 0;
    this.srcEnd = v.length;
    return sourceOf(v);
  }

  nameAt(k: number): string {
    const r = this.ref(k);
    if (r < 0) return this.added!.names[~r]!;
    const id = this.scanned[r * ENTRY_SIZE]! >> 2;
    return id === H_UNKNOWN ? this.writtenName(r).toLowerCase() : lowerName(id);
  }

  /** The name as the serializer writes it. */
  spellingAt(k: number): string {
    const r = this.ref(k);
    if (r < 0) return this.added!.spellings[~r]!;
    const id = this.scanned[r * ENTRY_SIZE]! >> 2;
    return id === H_UNKNOWN ? this.writtenName(r) : canonicalName(id);
  }

  /** The name of scanned field r as written (a token, which the scanner checked). */
  private writtenName(r: number): string {
    const s = this.text;
    const ns = this.scanned[r * ENTRY_SIZE + ENTRY_NAME_START]!;
    let ne = ns;
    while (TOKEN_CHARS[s.charCodeAt(ne)] === 1) ne++;
    return s.substring(ns, ne);
  }

  /**
   * True when field k is a scanned line written exactly as the serializer would write it
   * (`Spelling: value` CRLF, one line, ASCII): its octets, CRLF included, are then
   * `text[srcStart, srcEnd)`.
   */
  rawLine(k: number): boolean {
    const r = this.ref(k);
    if (r < 0) return false;
    const o = r * ENTRY_SIZE;
    const e = this.scanned;
    const key = e[o + ENTRY_KEY]!;
    if ((key & 3) !== 0) return false;
    const s = this.buf!;
    const ns = e[o + ENTRY_NAME_START]!;
    const vs = e[o + ENTRY_VALUE_START]!;
    const ve = e[o + ENTRY_VALUE_END]!;
    const id = key >> 2;
    const spelling = id === H_UNKNOWN ? '' : canonicalName(id);
    const ne = id === H_UNKNOWN ? vs - 2 : ns + spelling.length;
    if (vs !== ne + 2 || s[ne] !== 58 || s[ne + 1] !== 32) return false;
    const last = s[ne - 1]; // no SP or HTAB between the name and the colon
    if (last === 32 || last === 9) return false;
    if (s[ve] !== 13 || s[ve + 1] !== 10) return false;
    for (let i = 0; i < spelling.length; i++) {
      if (s[ns + i] !== spelling.charCodeAt(i)) return false;
    }
    this.srcStart = ns;
    this.srcEnd = ve + 2;
    return true;
  }

  private matches(k: number, id: number, lname: string): boolean {
    const kid = this.idAt(k);
    return id === H_UNKNOWN ? kid === H_UNKNOWN && this.nameAt(k) === lname : kid === id;
  }

  /** Index of the first field with this id (known headers), or -1. */
  indexOfId(id: number, from = 0): number {
    const n = this.size();
    for (let k = from; k < n; k++) if (this.idAt(k) === id) return k;
    return -1;
  }

  /** Values of every field with this known id, in order. */
  valuesOfId(id: number): string[] {
    const out: string[] = [];
    const n = this.size();
    for (let k = 0; k < n; k++) if (this.idAt(k) === id) out.push(this.valueAt(k));
    return out;
  }

  get(name: string): string | undefined {
    const id = headerId(name);
    const lname = id === H_UNKNOWN ? name.toLowerCase() : '';
    const n = this.size();
    for (let k = 0; k < n; k++) if (this.matches(k, id, lname)) return this.valueAt(k);
    return undefined;
  }

  getAll(name: string): readonly string[] {
    const id = headerId(name);
    if (id !== H_UNKNOWN) return this.valuesOfId(id);
    const lname = name.toLowerCase();
    const out: string[] = [];
    const n = this.size();
    for (let k = 0; k < n; k++) if (this.matches(k, id, lname)) out.push(this.valueAt(k));
    return out;
  }

  has(name: string): boolean {
    const id = headerId(name);
    const lname = id === H_UNKNOWN ? name.toLowerCase() : '';
    const n = this.size();
    for (let k = 0; k < n; k++) if (this.matches(k, id, lname)) return true;
    return false;
  }

  entries(): readonly (readonly [string, string])[] {
    const out: [string, string][] = [];
    const n = this.size();
    for (let k = 0; k < n; k++) out.push([this.nameAt(k), this.valueAt(k)]);
    return out;
  }

  set(name: string, value: string | readonly string[]): void {
    const values = typeof value === 'string' ? [value] : value;
    const id = this.prepare(name, values);
    const lname = id === H_UNKNOWN ? name.toLowerCase() : '';
    const refs = this.edited();
    let first = -1;
    let count = 0;
    for (let k = 0; k < refs.length; k++) {
      if (!this.matches(k, id, lname)) continue;
      if (first < 0) first = k;
      count++;
    }
    if (count === 1 && values.length === 1) {
      // The usual edit (a proxy rewriting one field): in place.
      refs[first] = this.add(id, name, values[0]!);
      return;
    }
    const at = first < 0 ? refs.length : first;
    const next: number[] = [];
    for (let k = 0; k <= refs.length; k++) {
      if (k === at) for (const v of values) next.push(this.add(id, name, v));
      if (k < refs.length && !this.matches(k, id, lname)) next.push(refs[k]!);
    }
    this.refs = next;
  }

  append(name: string, value: string): void {
    const id = this.prepare(name, [value]);
    this.edited().push(this.add(id, name, value));
  }

  prepend(name: string, value: string): void {
    const id = this.prepare(name, [value]);
    const lname = id === H_UNKNOWN ? name.toLowerCase() : '';
    const refs = this.edited();
    let at = 0;
    while (at < refs.length && !this.matches(at, id, lname)) at++;
    if (at === refs.length) at = 0;
    refs.splice(at, 0, this.add(id, name, value));
  }

  delete(name: string): void {
    const id = this.prepare(name, []);
    const lname = id === H_UNKNOWN ? name.toLowerCase() : '';
    const refs = this.edited();
    const next: number[] = [];
    for (let k = 0; k < refs.length; k++) if (!this.matches(k, id, lname)) next.push(refs[k]!);
    if (next.length !== refs.length) this.refs = next;
  }

  /** Validates an edit; returns the header id of `name`. */
  private prepare(name: string, values: readonly string[]): number {
    checkName(name);
    const id = headerId(name);
    const lname = id === H_UNKNOWN ? name.toLowerCase() : lowerName(id);
    for (const v of values) checkValue(v, lname);
    return id;
  }

  /** The fields as references (switching to them on the first edit); bumps the generation. */
  private edited(): number[] {
    this.gen++;
    if (this.refs !== undefined) return this.refs;
    const refs = new Array<number>(this.count);
    for (let k = 0; k < this.count; k++) refs[k] = k;
    this.refs = refs;
    return refs;
  }

  /** Records an added field; returns its reference. */
  private add(id: number, name: string, value: string): number {
    const lname = id === H_UNKNOWN ? name.toLowerCase() : lowerName(id);
    const spelling = id === H_UNKNOWN ? name : canonicalName(id);
    const a = this.added;
    if (a === undefined) {
      this.added = { ids: [id], names: [lname], spellings: [spelling], values: [value] };
      return ~0;
    }
    a.ids.push(id);
    a.names.push(lname);
    a.spellings.push(spelling);
    a.values.push(value);
    return ~(a.ids.length - 1);
  }
}
