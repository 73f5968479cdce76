// The selector range of a prefix, for a B-tree range scan on a `COLLATE "C"` selector column.
// DESIGN.md, "Words": a prefix `HEX/BITS` is every selector whose first BITS bits are those of
// HEX, the hex padded with zero bits to a whole digit. Selectors are fixed-length lowercase
// hex, so in byte order they lie in [from, to): `4/2` is '4' ≤ selector < '8'.
import { DbError, DbErrorCode } from './errors.js';

export interface SelectorRange {
  /** Lowest selector prefix in the range (inclusive); '' for the whole space. */
  readonly from: string;
  /** First selector prefix past the range (exclusive); undefined when the range runs to the end. */
  readonly to: string | undefined;
}

/** A SHA-1 selector has 160 bits. */
const MAX_BITS = 160;

export function prefixRange(hex: string, bits: number): SelectorRange {
  if (!Number.isInteger(bits) || bits < 0 || bits > MAX_BITS) {
    throw new DbError(DbErrorCode.BadOptions, `prefix bits must be an integer 0…160: ${bits}`);
  }
  if (!/^[0-9a-f]*$/.test(hex)) {
    throw new DbError(DbErrorCode.BadOptions, `prefix must be lowercase hex: ${hex}`);
  }
  const digits = Math.ceil(bits / 4);
  if (digits === 0) return { from: '', to: undefined };
  const padded = hex.padEnd(digits, '0').slice(0, digits);
  const spare = BigInt(digits * 4 - bits);
  const value = BigInt('0x' + padded);
  if (/[^0]/.test(hex.slice(digits)) || (value & ((1n << spare) - 1n)) !== 0n) {
    throw new DbError(DbErrorCode.BadOptions, `prefix ${hex}/${bits} has bits set past ${bits}`);
  }
  const end = value + (1n << spare);
  const to = end >= 1n << BigInt(digits * 4) ? undefined : end.toString(16).padStart(digits, '0');
  return { from: padded, to };
}
