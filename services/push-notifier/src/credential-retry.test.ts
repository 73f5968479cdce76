import { PushOutcome, PushProvider } from '@sipwake/contracts';
import { sendWithFreshCredential } from './credential-retry.js';
import { ProviderError, PushErrorCode } from './errors.js';

const refused = new ProviderError(PushErrorCode.ProviderRejected, {
  provider: PushProvider.Apns,
  status: 403,
  reason: 'ExpiredProviderToken',
  outcome: PushOutcome.ProviderError,
  retryable: false,
  credentialRejected: true,
});
const badToken = new ProviderError(PushErrorCode.ProviderRejected, {
  provider: PushProvider.Apns,
  status: 400,
  reason: 'BadDeviceToken',
  outcome: PushOutcome.BadToken,
  retryable: false,
});

/** A credential source that hands out `token-1`, `token-2`, … and records what was refused. */
function credentials() {
  let issued = 1;
  const refusedTokens: string[] = [];
  return {
    refusedTokens,
    current: () => `token-${issued}`,
    rejected(credential: string) {
      refusedTokens.push(credential);
      issued += 1;
    },
  };
}

describe('sendWithFreshCredential', () => {
  it('sends once when the provider accepts', async () => {
    const source = credentials();
    const sent: string[] = [];
    await sendWithFreshCredential(source, async (credential) => {
      sent.push(credential);
      return undefined;
    });
    expect(sent).toEqual(['token-1']);
    expect(source.refusedTokens).toEqual([]);
  });

  it('throws an error that is not about the credential without retrying', async () => {
    const source = credentials();
    const send = jest.fn(async () => badToken);
    await expect(sendWithFreshCredential(source, send)).rejects.toBe(badToken);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('sends once more with a fresh credential after a refusal', async () => {
    const source = credentials();
    const sent: string[] = [];
    await sendWithFreshCredential(source, async (credential) => {
      sent.push(credential);
      return sent.length === 1 ? refused : undefined;
    });
    expect(sent).toEqual(['token-1', 'token-2']);
    expect(source.refusedTokens).toEqual(['token-1']);
  });

  it('takes an asynchronous credential source', async () => {
    const sent: string[] = [];
    await sendWithFreshCredential(
      { current: async () => 'grant-1', rejected: () => undefined },
      async (credential) => {
        sent.push(credential);
        return undefined;
      },
    );
    expect(sent).toEqual(['grant-1']);
  });

  it('is PROVIDER_AUTH_FAILED, not retryable, when the fresh credential is refused too', async () => {
    const source = credentials();
    const send = jest.fn(async () => refused);
    const error = await sendWithFreshCredential(source, send).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      code: 'PROVIDER_AUTH_FAILED',
      provider: 'apns',
      status: 403,
      reason: 'ExpiredProviderToken',
      outcome: 'provider-error',
      retryable: false,
    });
    expect(send).toHaveBeenCalledTimes(2);
    expect(source.refusedTokens).toEqual(['token-1']);
  });
});
