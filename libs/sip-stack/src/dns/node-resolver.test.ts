import { toDnsError } from './node-resolver.js';

function resolverError(code: string): Error {
  return Object.assign(new Error(`query ${code} example.com`), { code });
}

describe('toDnsError', () => {
  it.each(['ENOTFOUND', 'ENODATA'])('%s is an empty answer, not an error', (code) => {
    expect(toDnsError(resolverError(code), 'example.com', 'SRV')).toBeUndefined();
  });

  it.each([
    ['ESERVFAIL', 'DNS_SERVER_FAILURE'],
    ['EREFUSED', 'DNS_REFUSED'],
    ['ETIMEOUT', 'DNS_TIMEOUT'],
    ['ECONNREFUSED', 'DNS_UNREACHABLE'],
    ['EFORMERR', 'DNS_BAD_RESPONSE'],
    ['EBADRESP', 'DNS_BAD_RESPONSE'],
    ['ENOTIMP', 'DNS_BAD_RESPONSE'],
    ['EBADNAME', 'DNS_BAD_NAME'],
    ['ECANCELLED', 'DNS_CANCELLED'],
    ['EDESTRUCTION', 'DNS_CANCELLED'],
    ['ENOMEM', 'DNS_FAILED'],
  ])('%s becomes %s', (resolverCode, code) => {
    const cause = resolverError(resolverCode);
    expect(toDnsError(cause, 'example.com', 'NAPTR')).toMatchObject({
      code,
      resolverCode,
      hostname: 'example.com',
      rrtype: 'NAPTR',
      cause,
    });
  });

  it('an error without a code becomes DNS_FAILED', () => {
    expect(toDnsError(new Error('odd'), 'example.com', 'A')).toMatchObject({
      code: 'DNS_FAILED',
      resolverCode: undefined,
    });
  });
});
