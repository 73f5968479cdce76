// push-notifier's errors, with a stable code each (README table, append-only). A provider's
// answer is parsed into a ProviderError in one place per provider (apns/answers.ts,
// fcm/answers.ts), which also decides there whether a retry can help.
import type { PushOutcome, PushProvider } from '@sipwake/contracts';

export const PushErrorCode = {
  /** A push request failed its schema; nothing was sent. */
  InvalidRequest: 'INVALID_REQUEST',
  /** The APNs .p8 key file is missing or is not an EC P-256 private key (start-up). */
  ApnsKeyInvalid: 'APNS_KEY_INVALID',
  /** The FCM service-account file is missing or lacks a field or a usable RSA key (start-up). */
  ServiceAccountInvalid: 'SERVICE_ACCOUNT_INVALID',
  /** The payload templates file is missing, not JSON, or not the templates shape (start-up). */
  TemplatesInvalid: 'TEMPLATES_INVALID',
  /** A CA file given for a provider cannot be read (start-up). */
  CaFileInvalid: 'CA_FILE_INVALID',
  /** The provider answered with an error (status and reason as fields). */
  ProviderRejected: 'PROVIDER_REJECTED',
  /** The provider could not be reached, or its answer did not come in time. */
  ProviderUnreachable: 'PROVIDER_UNREACHABLE',
  /** The provider refused the credentials even after a fresh token. */
  ProviderAuthFailed: 'PROVIDER_AUTH_FAILED',
  /** A device names a provider this notifier has no credentials for. */
  ProviderNotConfigured: 'PROVIDER_NOT_CONFIGURED',
} as const;
export type PushErrorCode = (typeof PushErrorCode)[keyof typeof PushErrorCode];

export interface PushErrorOptions {
  readonly cause?: unknown;
  /** The configuration key a start-up error is about. */
  readonly key?: string;
}

export class PushError extends Error {
  override name = 'PushError';
  readonly code: PushErrorCode;
  readonly key: string | undefined;

  constructor(code: PushErrorCode, message: string, options: PushErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.key = options.key;
  }
}

export interface ProviderErrorFields {
  readonly provider: PushProvider;
  /** The HTTP status, or 0 when no answer came. */
  readonly status: number;
  /** The provider's own reason (`BadDeviceToken`, `UNREGISTERED`, …) or what failed locally. */
  readonly reason: string;
  /** What the answer means to the agent. */
  readonly outcome: PushOutcome;
  /** Whether the same push may succeed later (throttling, 5xx, unreachable). */
  readonly retryable: boolean;
  /** The provider refused the credential: get a new one and try once more. */
  readonly credentialRejected?: boolean;
  /** From a Retry-After header. */
  readonly retryAfterMs?: number;
}

/** A push a provider did not accept: the evidence as fields, never a token or key. */
export class ProviderError extends PushError {
  override name = 'ProviderError';
  readonly provider: PushProvider;
  readonly status: number;
  readonly reason: string;
  readonly outcome: PushOutcome;
  readonly retryable: boolean;
  readonly credentialRejected: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(code: PushErrorCode, fields: ProviderErrorFields, options: PushErrorOptions = {}) {
    const where = fields.status === 0 ? 'no answer' : `HTTP ${fields.status}`;
    super(code, `${fields.provider}: ${where} ${fields.reason}`, options);
    this.provider = fields.provider;
    this.status = fields.status;
    this.reason = fields.reason;
    this.outcome = fields.outcome;
    this.retryable = fields.retryable;
    this.credentialRejected = fields.credentialRejected ?? false;
    this.retryAfterMs = fields.retryAfterMs;
  }
}
