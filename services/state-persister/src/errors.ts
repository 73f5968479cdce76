// state-persister's errors: one class, a stable code per failure. The codes also travel as the
// `code` of the ErrorReply a requester receives. Append-only: a published code keeps its meaning.

export const PersisterErrorCode = {
  /** A checkpoint batch or load request failed its schema; nothing was written or read. */
  InvalidRequest: 'INVALID_REQUEST',
  /** The database refused or lost the batch's transaction; nothing of it was kept. */
  StoreFailed: 'STORE_FAILED',
  /** A load's cursor is not a selector (it must be a previous page's `nextCursor`). */
  BadCursor: 'BAD_CURSOR',
  /** The /healthz, /readyz and /metrics server could not bind its port. */
  HealthListenFailed: 'HEALTH_LISTEN_FAILED',
} as const;

export type PersisterErrorCode = (typeof PersisterErrorCode)[keyof typeof PersisterErrorCode];

export interface PersisterErrorOptions {
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

export class PersisterError extends Error {
  readonly code: PersisterErrorCode;
  /** Whether the requester may send the same thing again and expect success. */
  readonly retryable: boolean;

  constructor(code: PersisterErrorCode, message: string, options: PersisterErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PersisterError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}
