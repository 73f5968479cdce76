// The database library's errors: one class, a stable code per failure, the evidence as fields.
// The table in ../README.md is append-only: a code, once published, keeps its meaning.

export const DbErrorCode = {
  /** The server cannot be reached or the connection broke (refused, reset, terminated, shutting down). */
  Unavailable: 'UNAVAILABLE',
  /** The statement ran past the statement timeout, or was cancelled. */
  Timeout: 'TIMEOUT',
  /** A unique or exclusion constraint refused the row (SQLSTATE 23505, 23P01). */
  Conflict: 'CONFLICT',
  /** Another integrity constraint refused the row: foreign key, not null, check (SQLSTATE 23…). */
  Constraint: 'CONSTRAINT',
  /** A serialization failure or a deadlock: the whole transaction may be run again (40001, 40P01). */
  Serialization: 'SERIALIZATION',
  /** Any other failure of a statement (syntax, missing relation, bad parameter). */
  QueryFailed: 'QUERY_FAILED',
  /** A migration failed; nothing of that run was applied. */
  MigrationFailed: 'MIGRATION_FAILED',
  /** The database handle was closed. */
  Closed: 'CLOSED',
  /** The options or arguments cannot work (the message names the key). */
  BadOptions: 'BAD_OPTIONS',
} as const;

export type DbErrorCode = (typeof DbErrorCode)[keyof typeof DbErrorCode];

/** Whether trying again (later, or on a new connection) can succeed: decided where the error is raised. */
const retryableCodes: ReadonlySet<DbErrorCode> = new Set<DbErrorCode>([
  DbErrorCode.Unavailable,
  DbErrorCode.Timeout,
  DbErrorCode.Serialization,
]);

export class DbError extends Error {
  override readonly name = 'DbError';
  readonly code: DbErrorCode;
  readonly retryable: boolean;
  /** PostgreSQL's SQLSTATE when the server answered with one (`23505`). */
  readonly sqlState: string | undefined;
  /** The constraint that refused the row, when PostgreSQL names it. */
  readonly constraint: string | undefined;

  constructor(
    code: DbErrorCode,
    message: string,
    options: { sqlState?: string; constraint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = retryableCodes.has(code);
    this.sqlState = options.sqlState;
    this.constraint = options.constraint;
  }
}
