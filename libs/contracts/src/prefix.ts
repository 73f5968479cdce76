// Prefixes of the selector bit-space, as the shard map writes them (LB2's Backend section):
// `HEX/BITS`, e.g. `4/2` = every selector whose first 2 bits are `01`. The hex holds the leading
// bits, padded with zero bits to a whole digit; hex alone means 4 bits a digit (`c` = `c/4`);
// short hex is filled with zero bits (`4/6` = `40/6`), extra digits must be zero (`40/2` = `4/2`).
import { ContractError, ContractErrorCode } from './errors.js';
import { isSelector, SELECTOR_HEX_DIGITS } from './selector.js';

/** A selector has 160 bits: a prefix is 0..160 of them. */
export const SELECTOR_BITS = SELECTOR_HEX_DIGITS * 4;

export interface Prefix {
  /** Lowercase hex, `max(1, ceil(bits / 4))` digits, zero beyond `bits`. */
  readonly hex: string;
  readonly bits: number;
}

const prefixSyntax = /^([0-9a-fA-F]+)(?:\/([0-9]{1,4}))?$/;

/** Hex digits a prefix of `bits` bits is written with: `0/0` keeps one digit. */
function digitsFor(bits: number): number {
  return Math.max(1, Math.ceil(bits / 4));
}

function digit(hex: string, index: number): number {
  return parseInt(hex.charAt(index), 16);
}

/** Whether the first `bits` bits of two lowercase hex strings are equal. */
function sameLeadingBits(a: string, b: string, bits: number): boolean {
  const whole = bits >> 2;
  for (let i = 0; i < whole; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  }
  const rest = bits & 3;
  if (rest === 0) return true;
  const mask = (0xf << (4 - rest)) & 0xf;
  return (digit(a, whole) & mask) === (digit(b, whole) & mask);
}

function prefixError(code: ContractErrorCode, text: string, why: string): ContractError {
  const shown = text.length > 64 ? text.slice(0, 64) : text;
  return new ContractError(code, `prefix ${JSON.stringify(shown)}: ${why}`, { input: shown });
}

/** `4/2`, `C` (= `c/4`), `4a/8`, `4/6` (= `40/6`), `0/0`. Case-insensitive. */
export function parsePrefix(text: string): Prefix {
  const match = typeof text === 'string' ? prefixSyntax.exec(text) : null;
  if (match === null) {
    throw prefixError(ContractErrorCode.BadPrefix, String(text), 'not HEX/BITS');
  }
  const written = (match[1] ?? '').toLowerCase();
  const bits = match[2] === undefined ? written.length * 4 : Number(match[2]);
  if (bits > SELECTOR_BITS || written.length > SELECTOR_HEX_DIGITS) {
    throw prefixError(
      ContractErrorCode.PrefixLengthOutOfRange,
      text,
      `bits must be 0..${SELECTOR_BITS}`,
    );
  }
  const digits = digitsFor(bits);
  // Fewer digits than the bits need: the hex is the leading bits, zero bits fill the rest
  // (DESIGN.md writes `4/6` for `40/6`).
  const padded = written.padEnd(digits, '0');
  if (!/^0*$/.test(padded.slice(digits))) {
    throw prefixError(ContractErrorCode.PrefixBitsBeyondLength, text, `bits set beyond ${bits}`);
  }
  const hex = padded.slice(0, digits);
  const bitsInLast = bits - 4 * (digits - 1);
  const lowMask = (1 << (4 - bitsInLast)) - 1;
  if ((digit(hex, digits - 1) & lowMask) !== 0) {
    throw prefixError(ContractErrorCode.PrefixBitsBeyondLength, text, `bits set beyond ${bits}`);
  }
  return Object.freeze({ hex, bits });
}

/** The canonical text: lowercase, exactly the digits the bits need, always with `/BITS`. */
export function formatPrefix(prefix: Prefix): string {
  return `${prefix.hex}/${prefix.bits}`;
}

/** The prefix of `bits` bits that contains this selector (its shard map cell at that depth). */
export function prefixOf(selector: string, bits: number): Prefix {
  if (!isSelector(selector)) {
    throw new ContractError(ContractErrorCode.BadSelector, 'not a selector (40 lowercase hex)');
  }
  if (!Number.isInteger(bits) || bits < 0 || bits > SELECTOR_BITS) {
    throw prefixError(ContractErrorCode.PrefixLengthOutOfRange, String(bits), 'bits out of range');
  }
  const digits = digitsFor(bits);
  const bitsInLast = bits - 4 * (digits - 1);
  const keep = (0xf << (4 - bitsInLast)) & 0xf;
  const last = (digit(selector, digits - 1) & keep).toString(16);
  return Object.freeze({ hex: selector.slice(0, digits - 1) + last, bits });
}

/** Whether the selector lies in the prefix. Text that is not a selector lies in no prefix. */
export function prefixMatches(prefix: Prefix, selector: string): boolean {
  return isSelector(selector) && sameLeadingBits(prefix.hex, selector, prefix.bits);
}

/** Whether `a` contains all of `b` (a prefix covers itself). */
export function prefixCovers(a: Prefix, b: Prefix): boolean {
  return a.bits <= b.bits && sameLeadingBits(a.hex, b.hex, a.bits);
}

/** Whether some selector lies in both: with prefixes, one then contains the other. */
export function prefixOverlaps(a: Prefix, b: Prefix): boolean {
  return prefixCovers(a, b) || prefixCovers(b, a);
}

/** The two halves of a prefix, one bit longer (`4/2` → `4/3`, `6/3`). */
export function splitPrefix(prefix: Prefix): [Prefix, Prefix] {
  if (prefix.bits >= SELECTOR_BITS) {
    throw prefixError(
      ContractErrorCode.PrefixLengthOutOfRange,
      formatPrefix(prefix),
      'a full-length prefix has no halves',
    );
  }
  const bits = prefix.bits + 1;
  const digits = digitsFor(bits);
  const base = prefix.hex.padEnd(digits, '0');
  const index = digits - 1;
  const setBit = 1 << (3 - ((bits - 1) & 3));
  const high = (digit(base, index) | setBit).toString(16);
  return [
    Object.freeze({ hex: base, bits }),
    Object.freeze({ hex: base.slice(0, index) + high, bits }),
  ];
}
