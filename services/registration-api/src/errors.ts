// registration-api's errors: one class, a stable code per failure. The code is also the `error`
// field of the JSON body the client receives. Append-only: a published code keeps its meaning.

export const ApiErrorCode = {
  /** The body (or a parameter) failed its schema; `field` names it by JSON pointer. */
  InvalidBody: 'invalid-body',
  /** The instance token is missing or wrong, or the selector is unknown: the same answer for all. */
  Unauthorized: 'unauthorized',
  /** The instance's device does not exist (asked by the instance's own token holder). */
  NotFound: 'not-found',
  /** Too many requests from this client address in the current minute. */
  RateLimited: 'rate-limited',
  /** The database cannot be reached; nothing was written. */
  Unavailable: 'unavailable',
  /** Anything else; the detail is logged, never sent. */
  Internal: 'internal',
  /** A query parameter failed its check; `field` names the parameter (`prefix`). */
  InvalidQuery: 'invalid-query',
  /** The bus cannot be reached and the request only makes sense live; retry after `Retry-After`. */
  BusUnavailable: 'bus-unavailable',
} as const;

export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];

export const ApiErrorStatus: Readonly<Record<ApiErrorCode, number>> = {
  'invalid-body': 400,
  unauthorized: 401,
  'not-found': 404,
  'rate-limited': 429,
  unavailable: 503,
  internal: 500,
  'invalid-query': 400,
  'bus-unavailable': 503,
};

export interface ApiErrorOptions {
  /** The failing field, as a JSON pointer into the body (`/account/domain`). */
  readonly field?: string;
  readonly cause?: unknown;
  /** Seconds for a `Retry-After` header (503, 429). */
  readonly retryAfterSeconds?: number;
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly statusCode: number;
  readonly field: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ApiErrorCode, message: string, options: ApiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = ApiErrorStatus[code];
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
