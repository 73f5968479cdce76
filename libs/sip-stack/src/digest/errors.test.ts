import { DigestError, DigestErrorCode, digestErrorCodes } from './errors.js';

describe('digest error codes', () => {
  it('documents every code, and only codes', () => {
    expect(Object.keys(digestErrorCodes).sort()).toEqual(Object.values(DigestErrorCode).sort());
    for (const text of Object.values(digestErrorCodes)) expect(text.length).toBeGreaterThan(10);
  });

  it('keeps the codes append-only, in the order they were added', () => {
    expect(Object.keys(digestErrorCodes)).toEqual([
      'DIGEST_NO_CHALLENGE',
      'DIGEST_MALFORMED_CHALLENGE',
      'DIGEST_UNSUPPORTED_ALGORITHM',
      'DIGEST_UNSUPPORTED_QOP',
      'DIGEST_NO_CREDENTIALS',
      'DIGEST_CREDENTIALS_REJECTED',
      'DIGEST_INVALID_VALUE',
      'DIGEST_LOOKUP_FAILED',
      'DIGEST_INVALID_OPTIONS',
    ]);
  });

  it('carries its code, evidence and cause, and says whether to retry', () => {
    const cause = new Error('db');
    const error = new DigestError(DigestErrorCode.LookupFailed, 'lookup failed', {
      realm: 'r',
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.code, error.realm, error.cause, error.retryable]).toEqual([
      'DigestError',
      'DIGEST_LOOKUP_FAILED',
      'r',
      cause,
      true,
    ]);
    expect(new DigestError(DigestErrorCode.NoCredentials, 'x').retryable).toBe(false);
  });
});
