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
    const f = this.edit(name, values);
    const { id, lname } = f;
    let at = -1;
    for (let k = f.ids.length - 1; k >= 0; k--) {
      if (id === H_UNKNOWN ? f.ids[k] === H_UNKNOWN && f.names[k] === lname : f.ids[k] === id) {
        this.removeAt(f, k);
        at = k;
      }
    }
    if (at < 0) at = f.ids.length;
    for (let j = 0; j < values.length; j++)
      this.insertAt(f, at + j, id, lname, f.spelling, values[j]!);
  }

  append(name: string, value: string): void {
    const f = this.edit(name, [value]);
    this.insertAt(f, f.ids.length, f.id, f.lname, f.spelling, value);
  }

  prepend(name: string, value: string): void {
    const f = this.edit(name, [value]);
    let at = 0;
    for (; at < f.ids.length; at++) {
      const hit = f.id === H_UNKNOWN ? f.names[at] === f.lname : f.ids[at] === f.id;
      if (hit) break;
    }
    if (at === f.ids.length) at = 0;
    this.insertAt(f, at, f.id, f.lname, f.spelling, value);
  }

  delete(name: string): void {
    const f = this.edit(name, []);
    for (let k = f.ids.length - 1; k >= 0; k--) {
      const hit = f.id === H_UNKNOWN ? f.names[k] === f.lname : f.ids[k] === f.id;
      if (hit) this.removeAt(f, k);
    }
  }

  /** Validates an edit, switches to arrays and bumps the generation. */
  private edit(
    name: string,
    values: readonly string[],
  ): Fields & { id: number; lname: string; spelling: string } {
    checkName(name);
    const id = headerId(name);
    const lname = id === H_UNKNOWN ? name.toLowerCase() : lowerName(id);
    for (const v of values) checkValue(v, lname);
    const f = this.materialize();
    this.gen++;
    return {
      ...f,
      id,
      lname,
      spelling: id === H_UNKNOWN ? name : canonicalName(id),
    };
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

  private removeAt(f: Fields, k: number): void {
    f.ids.splice(k, 1);
    f.names.splice(k, 1);
    f.spellings.splice(k, 1);
    f.values.splice(k, 1);
  }

  private insertAt(f: Fields, k: number, id: number, lname: string, sp: string, v: string): void {
    f.ids.splice(k, 0, id);
    f.names.splice(k, 0, lname);
    f.spellings.splice(k, 0, sp);
    f.values.splice(k, 0, v);
  }
}
