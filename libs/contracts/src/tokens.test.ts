import fc from 'fast-check';
import { formatPrefix, parsePrefix, prefixMatches, prefixOf } from './prefix.js';
import { selectorTokens, subjectTokensFor } from './tokens.js';

const selectorArb = fc.stringMatching(/^[0-9a-f]{40}$/);

/** NATS matching of a `<d0>.<d1>` pattern against the selector's two tokens. */
function tokensMatch(pattern: string, selector: string): boolean {
  const want = pattern.split('.');
  const have = selectorTokens(selector).split('.');
  return want.every((token, i) => token === '*' || token === have[i]);
}

describe('subjectTokensFor', () => {
  it.each([
    ['4/2', ['4.*', '5.*', '6.*', '7.*']],
    ['8/1', ['8.*', '9.*', 'a.*', 'b.*', 'c.*', 'd.*', 'e.*', 'f.*']],
    ['c', ['c.*']],
    ['4/6', ['4.0', '4.1', '4.2', '4.3']],
    ['4a/8', ['4.a']],
    ['0/0', ['*.*']],
  ])('%s subscribes to %j', (text, tokens) => {
    expect(subjectTokensFor(parsePrefix(text))).toEqual(tokens);
  });

  it('refuses a prefix finer than the 8 bits subjects carry', () => {
    expect(() => subjectTokensFor(parsePrefix('4a8/9'))).toThrow(
      expect.objectContaining({ code: 'PREFIX_TOO_FINE_FOR_SUBJECTS', input: '4a8/9' }),
    );
  });

  it('the subject tokens of a prefix match exactly the selectors the prefix matches', () => {
    fc.assert(
      fc.property(selectorArb, fc.integer({ min: 0, max: 8 }), selectorArb, (s, bits, t) => {
        const prefix = prefixOf(s, bits);
        const patterns = subjectTokensFor(prefix);
        for (const candidate of [s, t]) {
          const byTokens = patterns.some((p) => tokensMatch(p, candidate));
          expect({ prefix: formatPrefix(prefix), candidate, byTokens }).toEqual({
            prefix: formatPrefix(prefix),
            candidate,
            byTokens: prefixMatches(prefix, candidate),
          });
        }
      }),
      { numRuns: 500 },
    );
  });
});
