import fc from 'fast-check';
import { checkExactCover } from './cover.js';
import {
  formatPrefix,
  parsePrefix,
  prefixCovers,
  prefixMatches,
  prefixOf,
  prefixOverlaps,
  splitPrefix,
} from './prefix.js';
import { coverArb, selectorArb } from './test-support/arbitraries.js';

const sel = (start: string): string => start.padEnd(40, '0');

describe('parsePrefix / formatPrefix', () => {
  it.each([
    ['4/2', '4/2', 2],
    ['C', 'c/4', 4],
    ['c/4', 'c/4', 4],
    ['4a', '4a/8', 8],
    ['4A/8', '4a/8', 8],
    ['0/0', '0/0', 0],
    ['8/1', '8/1', 1],
    ['40/2', '4/2', 2],
    ['48/6', '48/6', 6],
    ['4/6', '40/6', 6],
    ['4/8', '40/8', 8],
    ['8/9', '800/9', 9],
    [
      '628bef098cd19b085f0eb48256f504f34142c01a',
      '628bef098cd19b085f0eb48256f504f34142c01a/160',
      160,
    ],
  ])('reads %s as %s', (text, canonical, bits) => {
    const prefix = parsePrefix(text);
    expect(prefix.bits).toBe(bits);
    expect(formatPrefix(prefix)).toBe(canonical);
  });

  it.each([
    ['5/2', 'PREFIX_BITS_BEYOND_LENGTH'],
    ['1/0', 'PREFIX_BITS_BEYOND_LENGTH'],
    ['41/4', 'PREFIX_BITS_BEYOND_LENGTH'],
    ['c/1', 'PREFIX_BITS_BEYOND_LENGTH'],
    ['4/161', 'PREFIX_LENGTH_OUT_OF_RANGE'],
    ['0'.repeat(41), 'PREFIX_LENGTH_OUT_OF_RANGE'],
    ['', 'BAD_PREFIX'],
    ['/2', 'BAD_PREFIX'],
    ['4/', 'BAD_PREFIX'],
    ['g/4', 'BAD_PREFIX'],
    ['4/-1', 'BAD_PREFIX'],
    [' 4/2', 'BAD_PREFIX'],
  ])('refuses %j with %s', (text, code) => {
    expect(() => parsePrefix(text)).toThrow(expect.objectContaining({ code }));
  });

  it('formats what it parses back to the same prefix', () => {
    fc.assert(
      fc.property(selectorArb, fc.integer({ min: 0, max: 160 }), (s, bits) => {
        const prefix = prefixOf(s, bits);
        expect(parsePrefix(formatPrefix(prefix))).toEqual(prefix);
      }),
    );
  });
});

describe('prefixMatches', () => {
  it('matches the selectors whose leading bits equal the prefix', () => {
    const p = parsePrefix('4/2');
    for (const d of '4567') expect(prefixMatches(p, sel(d))).toBe(true);
    for (const d of '012389abcdef') expect(prefixMatches(p, sel(d))).toBe(false);
    expect(prefixMatches(parsePrefix('0/0'), sel('f'))).toBe(true);
    expect(prefixMatches(parsePrefix('4a/7'), sel('4b'))).toBe(true);
    expect(prefixMatches(parsePrefix('4a/8'), sel('4b'))).toBe(false);
  });

  it('matches no text that is not a selector', () => {
    expect(prefixMatches(parsePrefix('0/0'), 'alice')).toBe(false);
  });

  it('a selector matches exactly one prefix of any exact cover', () => {
    fc.assert(
      fc.property(coverArb(), selectorArb, (cover, s) => {
        expect(checkExactCover(cover).exact).toBe(true);
        expect(cover.filter((p) => prefixMatches(p, s))).toHaveLength(1);
      }),
    );
  });

  it('a selector lies in its own prefixOf at every length', () => {
    fc.assert(
      fc.property(selectorArb, fc.integer({ min: 0, max: 160 }), (s, bits) => {
        expect(prefixMatches(prefixOf(s, bits), s)).toBe(true);
      }),
    );
  });
});

describe('prefixCovers / prefixOverlaps / splitPrefix', () => {
  it('contains the finer prefixes under it', () => {
    expect(prefixCovers(parsePrefix('4/2'), parsePrefix('4/6'))).toBe(true);
    expect(prefixCovers(parsePrefix('4/2'), parsePrefix('7/4'))).toBe(true);
    expect(prefixCovers(parsePrefix('4/2'), parsePrefix('8/2'))).toBe(false);
    expect(prefixCovers(parsePrefix('4/6'), parsePrefix('4/2'))).toBe(false);
    expect(prefixCovers(parsePrefix('0/0'), parsePrefix('ff/8'))).toBe(true);
    expect(prefixOverlaps(parsePrefix('4/6'), parsePrefix('4/2'))).toBe(true);
    expect(prefixOverlaps(parsePrefix('4/2'), parsePrefix('8/1'))).toBe(false);
  });

  it('splits a prefix into its two halves', () => {
    expect(splitPrefix(parsePrefix('4/2')).map(formatPrefix)).toEqual(['4/3', '6/3']);
    expect(splitPrefix(parsePrefix('0/0')).map(formatPrefix)).toEqual(['0/1', '8/1']);
    expect(splitPrefix(parsePrefix('c/4')).map(formatPrefix)).toEqual(['c0/5', 'c8/5']);
    expect(() => splitPrefix(prefixOf(sel('a'), 160))).toThrow(
      expect.objectContaining({ code: 'PREFIX_LENGTH_OUT_OF_RANGE' }),
    );
  });

  it("covers agrees with matching: a covers b iff a is no longer and holds b's selectors", () => {
    fc.assert(
      fc.property(
        selectorArb,
        selectorArb,
        fc.boolean(),
        fc.nat(12),
        fc.nat(12),
        (s, t, same, i, j) => {
          const witness = same ? s : t;
          const a = prefixOf(s, i);
          const b = prefixOf(witness, j);
          expect(prefixCovers(a, b)).toBe(i <= j && prefixMatches(a, witness));
          expect(prefixOverlaps(a, b)).toBe(prefixCovers(a, b) || prefixCovers(b, a));
          // A selector in both means they overlap.
          if (prefixMatches(a, witness)) expect(prefixOverlaps(a, b)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
