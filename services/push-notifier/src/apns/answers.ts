// What an APNs answer means, in one table: the HTTP status and the `reason` of the JSON body
// (`{"reason":"BadDeviceToken"}`; 410 adds a `timestamp`) become a ProviderError whose outcome
// the agent acts on and whose retryability is decided here. 200 means sent.
import { PushOutcome, PushProvider } from '@sipwake/contracts';
import type { ProviderError } from '../errors.js';
import type { H2Response } from '../h2-origin.js';
import { providerRejection, type Meaning } from '../rejection.js';

/** Reasons APNs documents, with what each one means here. */
export const apnsReasons: Readonly<Record<string, Meaning>> = {
  BadDeviceToken: { outcome: PushOutcome.BadToken, retryable: false },
  DeviceTokenNotForTopic: { outcome: PushOutcome.BadToken, retryable: false },
  MissingDeviceToken: { outcome: PushOutcome.BadToken, retryable: false },
  Unregistered: { outcome: PushOutcome.Unregistered, retryable: false },
  ExpiredToken: { outcome: PushOutcome.Unregistered, retryable: false },
  TooManyRequests: { outcome: PushOutcome.Throttled, retryable: true },
  TooManyProviderTokenUpdates: { outcome: PushOutcome.Throttled, retryable: true },
  ExpiredProviderToken: {
    outcome: PushOutcome.ProviderError,
    retryable: false,
    credentialRejected: true,
  },
  InvalidProviderToken: {
    outcome: PushOutcome.ProviderError,
    retryable: false,
    credentialRejected: true,
  },
  MissingProviderToken: {
    outcome: PushOutcome.ProviderError,
    retryable: false,
    credentialRejected: true,
  },
  InternalServerError: { outcome: PushOutcome.ProviderError, retryable: true },
  ServiceUnavailable: { outcome: PushOutcome.ProviderError, retryable: true },
  Shutdown: { outcome: PushOutcome.ProviderError, retryable: true },
  IdleTimeout: { outcome: PushOutcome.ProviderError, retryable: true },
};

/** A reason APNs did not document (or no JSON body): judged by the status alone. */
function meaningOfStatus(status: number): Meaning {
  if (status === 410) return { outcome: PushOutcome.Unregistered, retryable: false };
  if (status === 429) return { outcome: PushOutcome.Throttled, retryable: true };
  if (status >= 500) return { outcome: PushOutcome.ProviderError, retryable: true };
  // 400 BadTopic, BadPriority, PayloadEmpty…, 403 BadCertificate, 413: this side's mistake.
  return { outcome: PushOutcome.ProviderError, retryable: false };
}

function reasonOf(body: string): string | undefined {
  try {
    const value: unknown = JSON.parse(body);
    const reason = (value as { reason?: unknown } | null)?.reason;
    return typeof reason === 'string' && /^[A-Za-z]{1,64}$/.test(reason) ? reason : undefined;
  } catch {
    return undefined;
  }
}

/** The answer to one push: undefined when APNs accepted it (200), a ProviderError otherwise. */
export function parseApnsAnswer(answer: H2Response, nowMs: number): ProviderError | undefined {
  if (answer.status === 200) return undefined;
  const reason = reasonOf(answer.body);
  const meaning =
    (reason === undefined ? undefined : apnsReasons[reason]) ?? meaningOfStatus(answer.status);
  return providerRejection(
    PushProvider.Apns,
    answer,
    reason ?? `HTTP ${answer.status}`,
    meaning,
    nowMs,
  );
}
