import { ContractError } from './errors.js';
import { assertSelector, computeSelector, isSelector } from './selector.js';

// Pinned once with coreutils, e.g. `printf 'alice\0alice\0example.com' | sha1sum`: an app that
// hashes the same bytes gets the same selectors.
const vectors = [
  {
    identity: { authUsername: 'alice', username: 'alice', domain: 'example.com' },
    selector: '628bef098cd19b085f0eb48256f504f34142c01a',
  },
  {
    identity: { authUsername: 'alice-auth', username: 'alice', domain: 'example.com' },
    selector: '4f667ca752a0a07ffcced81cae9f2102fe97323b',
  },
  {
    identity: { authUsername: '1001', username: 'bob', domain: 'sip.example.org' },
    selector: '4517f8d90378961bf65827e0f7f574d206130c4c',
  },
  {
    identity: { authUsername: 'bob', username: 'alice', domain: 'example.com' },
    selector: '4a5e151b242ea90b7fa5a692b1ede4e78a7d04b5',
  },
  {
    // UTF-8 of the user parts: `printf 'j\xc3\xb6rg\0j\xc3\xb6rg\0voip.example.de' | sha1sum`.
    identity: { authUsername: 'jörg', username: 'jörg', domain: 'voip.example.de' },
    selector: '8a42249e321fa69a08a6b5f291cdd8cba94ec8ba',
  },
];

describe('computeSelector', () => {
  it.each(vectors)(
    'hashes $identity.authUsername/$identity.username@$identity.domain to its fixed vector',
    ({ identity, selector }) => {
      expect(computeSelector(identity)).toBe(selector);
    },
  );

  it('ignores the ASCII case of the domain, not of the user parts', () => {
    expect(
      computeSelector({ authUsername: 'alice', username: 'alice', domain: 'EXAMPLE.Com' }),
    ).toBe('628bef098cd19b085f0eb48256f504f34142c01a');
    expect(
      computeSelector({ authUsername: 'Alice', username: 'alice', domain: 'example.com' }),
    ).not.toBe('628bef098cd19b085f0eb48256f504f34142c01a');
  });

  it('does not depend on a password (an identity has none) and keeps parts apart with NUL', () => {
    const a = computeSelector({ authUsername: 'ab', username: 'c', domain: 'example.com' });
    const b = computeSelector({ authUsername: 'a', username: 'bc', domain: 'example.com' });
    expect(a).not.toBe(b);
  });

  it.each([
    [{ authUsername: '', username: 'alice', domain: 'example.com' }, 'authUsername is empty'],
    [{ authUsername: 'alice', username: '', domain: 'example.com' }, 'username is empty'],
    [{ authUsername: 'alice', username: 'alice', domain: '' }, 'domain is empty'],
    [
      { authUsername: 'a\0b', username: 'alice', domain: 'example.com' },
      'authUsername contains NUL',
    ],
  ])('refuses %j with BAD_ACCOUNT_IDENTITY', (identity, message) => {
    expect(() => computeSelector(identity)).toThrow(
      expect.objectContaining({ code: 'BAD_ACCOUNT_IDENTITY', message }),
    );
  });
});

describe('isSelector', () => {
  it('accepts 40 lowercase hex digits only', () => {
    expect(isSelector('628bef098cd19b085f0eb48256f504f34142c01a')).toBe(true);
    expect(isSelector('628BEF098CD19B085F0EB48256F504F34142C01A')).toBe(false);
    expect(isSelector('628bef098cd19b085f0eb48256f504f34142c01')).toBe(false);
    expect(isSelector('628bef098cd19b085f0eb48256f504f34142c01a0')).toBe(false);
    expect(isSelector('g28bef098cd19b085f0eb48256f504f34142c01a')).toBe(false);
    expect(isSelector(42)).toBe(false);
  });

  it('assertSelector throws BAD_SELECTOR', () => {
    expect(() => assertSelector('alice')).toThrow(ContractError);
    expect(() => assertSelector('alice')).toThrow(
      expect.objectContaining({ code: 'BAD_SELECTOR' }),
    );
  });
});
