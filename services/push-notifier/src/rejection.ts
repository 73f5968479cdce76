// A provider's error answer as a ProviderError: each adapter's table (apns/answers.ts,
// fcm/answers.ts) decides what the answer means; this makes the one error shape of it, with the
// Retry-After the provider asked for.
import type { PushOutcome, PushProvider } from '@sipwake/contracts';
import { ProviderError, PushErrorCode } from './errors.js';
import type { H2Response } from './h2-origin.js';
import { parseRetryAfter } from './retry-after.js';

/** What an answer means to the agent, and whether a retry or a new credential can help. */
export interface Meaning {
  readonly outcome: PushOutcome;
  readonly retryable: boolean;
  readonly credentialRejected?: boolean;
}

/** PROVIDER_REJECTED for `answer`, named by `reason` (already free of provider text). */
export function providerRejection(
  provider: PushProvider,
  answer: H2Response,
  reason: string,
  meaning: Meaning,
  nowMs: number,
): ProviderError {
  const retryAfterMs = parseRetryAfter(answer.headers['retry-after'], nowMs);
  return new ProviderError(PushErrorCode.ProviderRejected, {
    provider,
    status: answer.status,
    reason,
    outcome: meaning.outcome,
    retryable: meaning.retryable,
    ...(meaning.credentialRejected ? { credentialRejected: true } : {}),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
