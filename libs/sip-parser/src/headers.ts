// The ordered header fields of a message. A parsed message keeps offsets into its buffer
// (6 numbers per field, see ENTRY_*) and decodes a value only when asked; the first edit turns
// the fields into plain arrays. Every edit bumps `gen`, which the typed caches follow.
import { C_TOKEN, CHARS } from './chars.js';
import { ParseErrorCode, SipParseError } from './errors.js';
import { H_UNKNOWN, canonicalName, headerId, lowerName } from './header-names.js';
import type { SipHeaders } from './types.js';

export const ENTRY_SIZE = 6;
export const ENTRY_ID = 0;
export const ENTRY_NAME_START = 1;
export const ENTRY_NAME_END = 2;
export const ENTRY_VALUE_START = 3;
export const ENTRY_VALUE_END = 4;
export const ENTRY_FLAGS = 5;
/** The value spans folded lines: replace each fold by one SP (RFC 3261 §7.3.1). */
export const FLAG_FOLDED = 1;
/** The value holds octets above 0x7F: decode it as UTF-8. */
export const FLAG_UTF8 = 2;

interface Edit {
  readonly id: number;
  readonly lname: string;
  readonly spelling: string;
}

interface Fields {
  readonly ids: number[];
  /** Lower-case full names. */
  readonly names: string[];
  /** Names as they are written out: canonical for known headers, as given otherwise. */
  readonly spellings: string[];
  readonly values: string[];
}

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

export class HeaderList implements SipHeaders {
  /** Bumped by every edit. */
  gen = 0;
  private buf: Buffer | undefined;
  private text: string;
  private e: number[];
  private list: Fields | undefined;

  /** Fields of a parsed message: `text` is `buf` decoded as latin1 up to the body. */
  constructor(buf: Buffer | undefined, text: string, entries: number[]) {
    this.buf = buf;
    this.text = text;
    this.e = entries;
    this.list = buf === undefined ? { ids: [], names: [], spellings: [], values: [] } : undefined;
  }

  size(): number {
    return this.list === undefined ? this.e.length / ENTRY_SIZE : this.list.ids.length;
  }

  idAt(k: number): number {
    return this.list === undefined ? this.e[k * ENTRY_SIZE]! : this.list.ids[k]!;
  }

  valueAt(k: number): string {
    if (this.list !== undefined) return this.list.values[k]!;
    const o = k * ENTRY_SIZE;
    const e = this.e;
    const flags = e[o + ENTRY_FLAGS]!;
    if (flags === 0) return this.text.substring(e[o + ENTRY_VALUE_START]!, e[o + ENTRY_VALUE_END]!);
    const v =
      (flags & FLAG_UTF8) !== 0
        ? this.buf!.toString('utf8', e[o + ENTRY_VALUE_START]!, e[o + ENTRY_VALUE_END]!)
        : this.text.substring(e[o + ENTRY_VALUE_START]!, e[o + ENTRY_VALUE_END]!);
    return (flags & FLAG_FOLDED) !== 0 ? unfold(v) : v;
  }

  /** Set by `source`: the range of the value in the string it returned. */
  srcStart = 0;
  srcEnd = 0;

  /**
   * The string that holds field k's value, its range in `srcStart`/`srcEnd`: the message text
   * itself for a one-line ASCII value (no copy; a CR follows the range), else the decoded value.
   */
  source(k: number): string {
    if (this.list === undefined) {
      const o = k * ENTRY_SIZE;
      const e = this.e;
      if (e[o + ENTRY_FLAGS] === 0) {
        this.srcStart = e[o + ENTRY_VALUE_START]!;
        this.srcEnd = e[o + ENTRY_VALUE_END]!;
        return this.text;
      }
    }
    const v = this.valueAt(k);
    this.srcStart = 0;
    this.srcEnd = v.length;
    return v;
  }

  nameAt(k: number): string {
    if (this.list !== undefined) return this.list.names[k]!;
    const id = this.idAt(k);
    return id === H_UNKNOWN ? this.writtenName(k).toLowerCase() : lowerName(id);
  }

  /** The name as the serializer writes it. */
  spellingAt(k: number): string {
    if (this.list !== undefined) return this.list.spellings[k]!;
    const id = this.idAt(k);
    return id === H_UNKNOWN ? this.writtenName(k) : canonicalName(id);
  }

  private writtenName(k: number): string {
    const o = k * ENTRY_SIZE;
    return this.text.substring(this.e[o + ENTRY_NAME_START]!, this.e[o + ENTRY_NAME_END]!);
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
    const e = this.prepare(name, values);
    const f = this.fields();
    let first = -1;
    let count = 0;
    for (let k = 0; k < f.names.length; k++) {
      if (f.names[k] !== e.lname) continue;
      if (first < 0) first = k;
      count++;
    }
    if (count === 1 && values.length === 1) {
      // The usual edit (a proxy rewriting one field): in place.
      f.spellings[first] = e.spelling;
      f.values[first] = values[0]!;
      return;
    }
    const at = first < 0 ? f.names.length : first;
    const next: Fields = { ids: [], names: [], spellings: [], values: [] };
    for (let k = 0; k <= f.names.length; k++) {
      if (k === at) for (const v of values) push(next, e.id, e.lname, e.spelling, v);
      if (k < f.names.length && f.names[k] !== e.lname) {
        push(next, f.ids[k]!, f.names[k]!, f.spellings[k]!, f.values[k]!);
      }
    }
    this.list = next;
  }

  append(name: string, value: string): void {
    const e = this.prepare(name, [value]);
    push(this.fields(), e.id, e.lname, e.spelling, value);
  }

  prepend(name: string, value: string): void {
    const e = this.prepare(name, [value]);
    const f = this.fields();
    let at = f.names.indexOf(e.lname);
    if (at < 0) at = 0;
    f.ids.splice(at, 0, e.id);
    f.names.splice(at, 0, e.lname);
    f.spellings.splice(at, 0, e.spelling);
    f.values.splice(at, 0, value);
  }

  delete(name: string): void {
    const e = this.prepare(name, []);
    const f = this.fields();
    if (f.names.indexOf(e.lname) < 0) return;
    const next: Fields = { ids: [], names: [], spellings: [], values: [] };
    for (let k = 0; k < f.names.length; k++) {
      if (f.names[k] !== e.lname) push(next, f.ids[k]!, f.names[k]!, f.spellings[k]!, f.values[k]!);
    }
    this.list = next;
  }

  /** Validates an edit: the field's id, lower-case name and written spelling. */
  private prepare(name: string, values: readonly string[]): Edit {
    checkName(name);
    const id = headerId(name);
    const lname = id === H_UNKNOWN ? name.toLowerCase() : lowerName(id);
    for (const v of values) checkValue(v, lname);
    return { id, lname, spelling: id === H_UNKNOWN ? name : canonicalName(id) };
  }

  /** The fields as arrays (switching to them on the first edit); bumps the generation. */
  private fields(): Fields {
    this.gen++;
    return this.materialize();
  }

  private materialize(): Fields {
    if (this.list !== undefined) return this.list;
    const n = this.size();
    const f: Fields = { ids: [], names: [], spellings: [], values: [] };
    for (let k = 0; k < n; k++) {
      f.ids.push(this.idAt(k));
      f.names.push(this.nameAt(k));
      f.spellings.push(this.spellingAt(k));
      f.values.push(this.valueAt(k));
    }
    this.list = f;
    this.buf = undefined;
    this.text = '';
    this.e = [];
    return f;
  }
}

function push(f: Fields, id: number, lname: string, spelling: string, value: string): void {
  f.ids.push(id);
  f.names.push(lname);
  f.spellings.push(spelling);
  f.values.push(value);
}
