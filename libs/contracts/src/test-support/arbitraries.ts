// fast-check generators shared by the prefix and cover tests.
import fc from 'fast-check';
import { parsePrefix, splitPrefix } from '../prefix.js';
import type { Prefix } from '../prefix.js';

export const selectorArb = fc.stringMatching(/^[0-9a-f]{40}$/);

/** An exact cover of the bit-space, prefixes of up to `maxBits`: 0/0 with random parts split. */
export function coverArb(maxBits = 12): fc.Arbitrary<Prefix[]> {
  return fc.array(fc.nat(), { maxLength: 40 }).map((picks) => {
    let cover: Prefix[] = [parsePrefix('0/0')];
    for (const pick of picks) {
      const index = pick % cover.length;
      const target = cover[index]!;
      if (target.bits >= maxBits) continue;
      cover = [...cover.slice(0, index), ...splitPrefix(target), ...cover.slice(index + 1)];
    }
    return cover;
  });
}
