// The selector digits shard-bound subjects carry: `sw.shard.<d0>.<d1>.<kind>` (DESIGN.md
// "Subjects"). A prefix subscribes with one `<d0>.<d1>` pattern per digit pair it owns, so the
// bus delivers to a shard exactly the selectors its prefixes hold.
import { ContractError, ContractErrorCode } from './errors.js';
import { formatPrefix } from './prefix.js';
import type { Prefix } from './prefix.js';

/** Selector digits that are subject tokens: prefixes of up to 8 bits get exact subscriptions. */
export const SUBJECT_SELECTOR_DIGITS = 2;
export const SUBJECT_PREFIX_BITS = SUBJECT_SELECTOR_DIGITS * 4;

const hexDigits = '0123456789abcdef';

/** The hex digits whose top `bits` bits (0..4) equal those of `d`. */
function digitsMatching(d: string, bits: number): string[] {
  const mask = (0xf << (4 - bits)) & 0xf;
  const want = parseInt(d, 16) & mask;
  return [...hexDigits].filter((x) => (parseInt(x, 16) & mask) === want);
}

/**
 * The `<d0>.<d1>` token patterns a shard owning `prefix` subscribes to: `4/2` → `4.*`, `5.*`,
 * `6.*`, `7.*`; `4a/8` → `4.a`; `4/6` → `4.0` … `4.3`; `0/0` → `*.*` (every selector).
 * A prefix finer than 8 bits would share its subject with a sibling: PREFIX_TOO_FINE_FOR_SUBJECTS.
 */
export function subjectTokensFor(prefix: Prefix): string[] {
  if (prefix.bits > SUBJECT_PREFIX_BITS) {
    throw new ContractError(
      ContractErrorCode.PrefixTooFineForSubjects,
      `prefix ${formatPrefix(prefix)}: subjects carry ${SUBJECT_PREFIX_BITS} selector bits`,
      { input: formatPrefix(prefix) },
    );
  }
  if (prefix.bits === 0) return ['*.*'];
  const d0 = prefix.hex.charAt(0);
  if (prefix.bits <= 4) return digitsMatching(d0, prefix.bits).map((x) => `${x}.*`);
  const d1 = prefix.hex.charAt(1);
  return digitsMatching(d1, prefix.bits - 4).map((x) => `${d0}.${x}`);
}

/** The `<d0>.<d1>` tokens of a (valid) selector. */
export function selectorTokens(selector: string): string {
  return `${selector.charAt(0)}.${selector.charAt(1)}`;
}
