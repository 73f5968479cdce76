import { fcmErrorBody } from '@sipwake/testkit';
import { parseFcmAnswer } from './answers.js';

const now = Date.UTC(2026, 0, 1);
const answer = (status: number, body: string, headers: Record<string, string> = {}) =>
  parseFcmAnswer({ status, headers, body }, now);

describe('FCM answers', () => {
  it('200 is sent', () => {
    expect(answer(200, '{"name":"projects/p/messages/1"}')).toBeUndefined();
  });

  it.each([
    [404, 'UNREGISTERED', 'unregistered', false],
    [400, 'UNREGISTERED', 'unregistered', false],
    [400, 'INVALID_ARGUMENT', 'bad-token', false],
    [429, 'QUOTA_EXCEEDED', 'throttled', true],
    [503, 'UNAVAILABLE', 'provider-error', true],
    [500, 'INTERNAL', 'provider-error', true],
    [403, 'SENDER_ID_MISMATCH', 'provider-error', false],
    [401, 'THIRD_PARTY_AUTH_ERROR', 'provider-error', false],
  ])('%i %s → %s (retryable %s)', (status, errorCode, outcome, retryable) => {
    expect(answer(status, fcmErrorBody(status, errorCode))).toMatchObject({
      provider: 'fcm',
      status,
      reason: errorCode,
      outcome,
      retryable,
    });
  });

  it('INVALID_ARGUMENT about the payload, not the token, is a provider error', () => {
    const body = JSON.stringify({
      error: {
        code: 400,
        message: "Invalid value at 'message.data[0].value'",
        status: 'INVALID_ARGUMENT',
        details: [
          {
            '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError',
            errorCode: 'INVALID_ARGUMENT',
          },
        ],
      },
    });
    expect(answer(400, body)).toMatchObject({ outcome: 'provider-error', retryable: false });
  });

  it('a 401 without details asks for a new access token', () => {
    expect(answer(401, fcmErrorBody(401))).toMatchObject({
      reason: 'UNAUTHENTICATED',
      credentialRejected: true,
      retryable: false,
    });
  });

  it('keeps Retry-After of a throttled answer and judges a non-JSON body by status', () => {
    expect(
      answer(429, fcmErrorBody(429, 'QUOTA_EXCEEDED'), { 'retry-after': '30' })?.retryAfterMs,
    ).toBe(30_000);
    expect(answer(502, 'Bad Gateway')).toMatchObject({ reason: 'HTTP 502', retryable: true });
    expect(answer(404, 'Not Found')).toMatchObject({ outcome: 'provider-error', retryable: false });
  });
});
