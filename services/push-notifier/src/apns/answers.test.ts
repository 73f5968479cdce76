import { parseApnsAnswer } from './answers.js';

const now = Date.UTC(2026, 0, 1);
const answer = (status: number, body: object | string, headers: Record<string, string> = {}) =>
  parseApnsAnswer(
    { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) },
    now,
  );

describe('APNs answers', () => {
  it('200 is sent', () => {
    expect(answer(200, '')).toBeUndefined();
  });

  it.each([
    [400, 'BadDeviceToken', 'bad-token', false, false],
    [400, 'DeviceTokenNotForTopic', 'bad-token', false, false],
    [410, 'Unregistered', 'unregistered', false, false],
    [410, 'ExpiredToken', 'unregistered', false, false],
    [429, 'TooManyRequests', 'throttled', true, false],
    [403, 'ExpiredProviderToken', 'provider-error', false, true],
    [403, 'InvalidProviderToken', 'provider-error', false, true],
    [500, 'InternalServerError', 'provider-error', true, false],
    [503, 'ServiceUnavailable', 'provider-error', true, false],
    [400, 'BadTopic', 'provider-error', false, false],
    [400, 'PayloadEmpty', 'provider-error', false, false],
    [413, 'PayloadTooLarge', 'provider-error', false, false],
    [403, 'BadCertificate', 'provider-error', false, false],
  ])('%i %s → %s (retryable %s, new credential %s)', (status, reason, outcome, retryable, cred) => {
    const body = status === 410 ? { reason, timestamp: now } : { reason };
    expect(answer(status, body)).toMatchObject({
      code: 'PROVIDER_REJECTED',
      provider: 'apns',
      status,
      reason,
      outcome,
      retryable,
      credentialRejected: cred,
    });
  });

  it('judges an unknown reason or a body that is not JSON by the status', () => {
    expect(answer(502, '<html>bad gateway</html>')).toMatchObject({
      reason: 'HTTP 502',
      outcome: 'provider-error',
      retryable: true,
    });
    expect(answer(410, { reason: 'SomethingNew' })).toMatchObject({ outcome: 'unregistered' });
    expect(answer(429, {})).toMatchObject({ outcome: 'throttled', retryable: true });
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(answer(429, { reason: 'TooManyRequests' }, { 'retry-after': '3' })?.retryAfterMs).toBe(
      3000,
    );
    const at = new Date(now + 10_000).toUTCString();
    expect(answer(503, { reason: 'ServiceUnavailable' }, { 'retry-after': at })?.retryAfterMs).toBe(
      10_000,
    );
  });

  it('never takes a reason that is not a plain word (no foreign text in logs)', () => {
    expect(answer(400, { reason: 'x\n{"token":"abc"}' })?.reason).toBe('HTTP 400');
  });
});
