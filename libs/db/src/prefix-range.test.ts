import fc from 'fast-check';
import { prefixRange } from './prefix-range.js';

describe('prefixRange', () => {
  it.each([
    ['4', 2, '4', '8'],
    ['0', 1, '0', '8'],
    ['8', 1, '8', undefined],
    ['c', 2, 'c', undefined],
    ['f', 4, 'f', undefined],
    ['4', 4, '4', '5'],
    ['40', 6, '40', '44'],
    ['a8', 6, 'a8', 'ac'],
    ['fc', 6, 'fc', undefined],
    ['ab', 8, 'ab', 'ac'],
    ['', 0, '', undefined],
    ['0', 0, '', undefined],
    ['4', 6, '40', '44'],
    ['4000', 2, '4', '8'],
  ])('%s/%i is %s ≤ selector < %s', (hex, bits, from, to) => {
    expect(prefixRange(hex, bits)).toEqual({ from, to });
  });

  it('covers a whole 160-bit selector', () => {
    const selector = '0123456789abcdef0123456789abcdef01234567';
    expect(prefixRange(selector, 160)).toEqual({
      from: selector,
      to: '0123456789abcdef0123456789abcdef01234568',
    });
  });

  it.each([
    ['5', 2, 'bits set past'],
    ['41', 4, 'bits set past'],
    ['G', 4, 'lowercase hex'],
    ['A', 4, 'lowercase hex'],
    ['4', -1, 'integer'],
    ['4', 161, 'integer'],
    ['4', 1.5, 'integer'],
  ])('refuses %s/%s', (hex, bits, why) => {
    expect(() => prefixRange(hex, bits)).toThrow(expect.objectContaining({ code: 'BAD_OPTIONS' }));
    expect(() => prefixRange(hex, bits)).toThrow(why);
  });

  it('holds exactly the selectors whose first bits match, by string order', () => {
    const hex40 = fc.stringMatching(/^[0-9a-f]{40}$/);
    fc.assert(
      fc.property(hex40, hex40, fc.integer({ min: 0, max: 160 }), (selector, other, bits) => {
        // The prefix of `selector`'s first `bits` bits, as HEX/BITS.
        const digits = Math.ceil(bits / 4);
        const value = digits === 0 ? 0n : BigInt('0x' + selector.slice(0, digits));
        const spare = BigInt(digits * 4 - bits);
        const hex =
          digits === 0 ? '' : ((value >> spare) << spare).toString(16).padStart(digits, '0');
        const { from, to } = prefixRange(hex, bits);
        const inRange = (s: string) => s >= from && (to === undefined || s < to);
        const matches = (s: string) =>
          bits === 0 ||
          BigInt('0x' + s) >> BigInt(160 - bits) === BigInt('0x' + selector) >> BigInt(160 - bits);
        expect(inRange(selector)).toBe(true);
        expect(inRange(other)).toBe(matches(other));
      }),
      { numRuns: 2000 },
    );
  });
});
