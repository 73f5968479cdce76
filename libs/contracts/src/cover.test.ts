import fc from 'fast-check';
import { checkExactCover, describePrefixes } from './cover.js';
import { formatPrefix, parsePrefix } from './prefix.js';
import { coverArb } from './test-support/arbitraries.js';

const prefixes = (...texts: string[]) => texts.map(parsePrefix);

describe('checkExactCover', () => {
  it('accepts a shard map that covers every selector once', () => {
    expect(checkExactCover(prefixes('0/1', '8/2', 'c/2')).exact).toBe(true);
    expect(checkExactCover(prefixes('0/0')).exact).toBe(true);
  });

  it('names the gaps', () => {
    const check = checkExactCover(prefixes('0/1', 'c/2'));
    expect(check.exact).toBe(false);
    expect(check.gaps.map(formatPrefix)).toEqual(['8/2']);
    expect(checkExactCover([]).gaps.map(formatPrefix)).toEqual(['0/0']);
  });

  it('names the overlapping pairs', () => {
    const check = checkExactCover(prefixes('0/0', '4/6'));
    expect(check.exact).toBe(false);
    expect(check.gaps).toEqual([]);
    expect(check.overlaps.map((pair) => describePrefixes(pair))).toEqual(['0/0, 40/6']);
  });

  it('finds the part taken out of an exact cover as the one gap', () => {
    fc.assert(
      fc.property(coverArb(), fc.nat(), (cover, pick) => {
        fc.pre(cover.length > 1);
        const index = pick % cover.length;
        const rest = cover.filter((_, i) => i !== index);
        expect(checkExactCover(rest).gaps).toEqual([cover[index]]);
      }),
    );
  });

  it('finds a part added twice as an overlap', () => {
    fc.assert(
      fc.property(coverArb(), fc.nat(), (cover, pick) => {
        const extra = cover[pick % cover.length]!;
        const check = checkExactCover([...cover, extra]);
        expect(check.gaps).toEqual([]);
        expect(check.overlaps).toEqual([[extra, extra]]);
      }),
    );
  });
});
