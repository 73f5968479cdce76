// The one retry both provider adapters make: when the provider refuses the credential (APNs
// 403 ExpiredProviderToken/InvalidProviderToken, FCM 401) the push is sent once more with a
// fresh one; a second refusal is PROVIDER_AUTH_FAILED (no loop).
import { ProviderError, PushErrorCode } from './errors.js';

export interface CredentialSource {
  /** The credential to send with (cached until it expires or is refused). */
  current(): string | Promise<string>;
  /** The provider refused `credential`: the next current() gets a new one. */
  rejected(credential: string): void;
}

/**
 * Sends with the current credential; `send` resolves to the provider's error, or undefined when
 * it accepted. Throws that error, or PROVIDER_AUTH_FAILED after a second refused credential.
 */
export async function sendWithFreshCredential(
  credentials: CredentialSource,
  send: (credential: string) => Promise<ProviderError | undefined>,
): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    const credential = await credentials.current();
    const error = await send(credential);
    if (error === undefined) return;
    if (!error.credentialRejected) throw error;
    if (attempt === 0) {
      credentials.rejected(credential);
      continue;
    }
    throw new ProviderError(PushErrorCode.ProviderAuthFailed, {
      provider: error.provider,
      status: error.status,
      reason: error.reason,
      outcome: error.outcome,
      retryable: false,
    });
  }
}
