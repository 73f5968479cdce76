import { checkExactCover, describePrefixes } from './cover.js';
import { formatPrefix, parsePrefix } from './prefix.js';

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
});
