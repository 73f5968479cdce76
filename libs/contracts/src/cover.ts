// Whether a set of prefixes (a shard map) covers the selector bit-space exactly once.
import { formatPrefix, prefixCovers, prefixOverlaps, splitPrefix } from './prefix.js';
import type { Prefix } from './prefix.js';

export interface CoverCheck {
  /** True when there is no gap and no overlap. */
  readonly exact: boolean;
  /** The largest prefixes no given prefix touches. */
  readonly gaps: readonly Prefix[];
  /** Pairs of given prefixes that share selectors (one contains the other), in input order. */
  readonly overlaps: readonly (readonly [Prefix, Prefix])[];
}

const everything: Prefix = Object.freeze({ hex: '0', bits: 0 });

function gapsUnder(node: Prefix, prefixes: readonly Prefix[]): Prefix[] {
  const touching = prefixes.filter((p) => prefixOverlaps(p, node));
  if (touching.length === 0) return [node];
  if (touching.some((p) => prefixCovers(p, node))) return [];
  // Every touching prefix lies strictly inside `node`: look at both halves.
  const [low, high] = splitPrefix(node);
  return [...gapsUnder(low, touching), ...gapsUnder(high, touching)];
}

export function checkExactCover(prefixes: readonly Prefix[]): CoverCheck {
  const overlaps: (readonly [Prefix, Prefix])[] = [];
  for (let i = 0; i < prefixes.length; i++) {
    for (let j = i + 1; j < prefixes.length; j++) {
      const a = prefixes[i]!;
      const b = prefixes[j]!;
      if (prefixOverlaps(a, b)) overlaps.push([a, b]);
    }
  }
  const gaps = gapsUnder(everything, prefixes);
  return { exact: gaps.length === 0 && overlaps.length === 0, gaps, overlaps };
}

/** `4/2, 8/1` — how errors and logs name a set of prefixes. */
export function describePrefixes(prefixes: readonly Prefix[]): string {
  return prefixes.map(formatPrefix).join(', ');
}
