// What an FCM HTTP v1 answer means, in one table: Google's error body
// (`{"error":{"code","message","status","details":[{"@type":"…FcmError","errorCode"}]}}`) and
// the HTTP status become a ProviderError whose outcome the agent acts on, with retryability
// decided here. 200 means sent.
import { PushOutcome, PushProvider } from '@sipwake/contracts';
import type { ProviderError } from '../errors.js';
import type { H2Response } from '../h2-origin.js';
import { providerRejection, type Meaning } from '../rejection.js';

/** FcmError codes (https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode). */
export const fcmErrorCodes: Readonly<Record<string, Meaning>> = {
  UNREGISTERED: { outcome: PushOutcome.Unregistered, retryable: false },
  // INVALID_ARGUMENT is a bad token only when the token is the field at fault (see below).
  INVALID_ARGUMENT: { outcome: PushOutcome.ProviderError, retryable: false },
  QUOTA_EXCEEDED: { outcome: PushOutcome.Throttled, retryable: true },
  UNAVAILABLE: { outcome: PushOutcome.ProviderError, retryable: true },
  INTERNAL: { outcome: PushOutcome.ProviderError, retryable: true },
  SENDER_ID_MISMATCH: { outcome: PushOutcome.ProviderError, retryable: false },
  THIRD_PARTY_AUTH_ERROR: { outcome: PushOutcome.ProviderError, retryable: false },
};

interface GoogleError {
  readonly status?: string;
  readonly message?: string;
  readonly errorCode?: string;
  readonly fields: readonly string[];
}

function googleError(body: string): GoogleError | undefined {
  try {
    const error = (JSON.parse(body) as { error?: Record<string, unknown> } | null)?.error;
    if (typeof error !== 'object' || error === null) return undefined;
    const details = Array.isArray(error['details']) ? (error['details'] as unknown[]) : [];
    let errorCode: string | undefined;
    const fields: string[] = [];
    for (const detail of details) {
      const d = detail as Record<string, unknown> | null;
      if (typeof d?.['errorCode'] === 'string') errorCode ??= d['errorCode'];
      const violations = Array.isArray(d?.['fieldViolations'])
        ? (d['fieldViolations'] as unknown[])
        : [];
      for (const v of violations) {
        const field = (v as { field?: unknown } | null)?.field;
        if (typeof field === 'string') fields.push(field);
      }
    }
    const status = typeof error['status'] === 'string' ? error['status'] : undefined;
    const message = typeof error['message'] === 'string' ? error['message'] : undefined;
    return {
      ...(status === undefined ? {} : { status }),
      ...(message === undefined ? {} : { message }),
      ...(errorCode === undefined ? {} : { errorCode }),
      fields,
    };
  } catch {
    return undefined;
  }
}

/** INVALID_ARGUMENT names the token as the field at fault, or says so in its message. */
function tokenAtFault(error: GoogleError): boolean {
  return error.fields.includes('message.token') || /registration token/i.test(error.message ?? '');
}

function meaningOf(status: number, error: GoogleError | undefined): Meaning {
  const code = error?.errorCode ?? error?.status;
  if (code === 'INVALID_ARGUMENT' && error !== undefined && tokenAtFault(error)) {
    return { outcome: PushOutcome.BadToken, retryable: false };
  }
  if (status === 401) {
    return { outcome: PushOutcome.ProviderError, retryable: false, credentialRejected: true };
  }
  const known = code === undefined ? undefined : fcmErrorCodes[code];
  if (known !== undefined) return known;
  // A 404 without Google's error body is a wrong URL, not a gone token: nothing is dropped.
  if (status === 429) return { outcome: PushOutcome.Throttled, retryable: true };
  if (status >= 500) return { outcome: PushOutcome.ProviderError, retryable: true };
  return { outcome: PushOutcome.ProviderError, retryable: false };
}

/** The answer to one send: undefined when FCM accepted it (200), a ProviderError otherwise. */
export function parseFcmAnswer(answer: H2Response, nowMs: number): ProviderError | undefined {
  if (answer.status === 200) return undefined;
  const error = googleError(answer.body);
  const meaning = meaningOf(answer.status, error);
  const reason = error?.errorCode ?? error?.status ?? `HTTP ${answer.status}`;
  return providerRejection(
    PushProvider.Fcm,
    answer,
    /^[A-Za-z_ 0-9]{1,64}$/.test(reason) ? reason : `HTTP ${answer.status}`,
    meaning,
    nowMs,
  );
}
