// Foreign errors (pg, PGlite, the socket) become a DbError in this one place. The message keeps
// PostgreSQL's own text (it names relations and constraints, never parameter values) and never
// the connection string; `detail` (which can quote row values) stays only on the cause.
import { DbError, DbErrorCode } from './errors.js';

/** Socket error codes that mean the server is not there or the connection broke. */
const socketCodes: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);

/** pg's own texts for a connection that ended or never opened in time. */
const unavailableMessages = [
  /Connection terminated/i,
  /connection timeout/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Client was closed and is not queryable/i,
];

function classify(sqlState: string): DbErrorCode {
  // SQLSTATE classes: 08 connection exception, 57P0x operator intervention, 53 resources.
  if (sqlState.startsWith('08') || /^57P0[1-4]$/.test(sqlState) || sqlState === '53300') {
    return DbErrorCode.Unavailable;
  }
  if (sqlState === '57014') return DbErrorCode.Timeout;
  if (sqlState === '23505' || sqlState === '23P01') return DbErrorCode.Conflict;
  if (sqlState.startsWith('23')) return DbErrorCode.Constraint;
  if (sqlState === '40001' || sqlState === '40P01') return DbErrorCode.Serialization;
  return DbErrorCode.QueryFailed;
}

function field(error: object, key: string): string | undefined {
  const value = (error as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

/** A DbError for anything a driver threw; a DbError passes through unchanged. */
export function toDbError(error: unknown, context: string): DbError {
  if (error instanceof DbError) return error;
  if (typeof error !== 'object' || error === null) {
    return new DbError(DbErrorCode.QueryFailed, `${context}: ${String(error)}`, { cause: error });
  }
  const message = field(error, 'message') ?? 'unknown error';
  const code = field(error, 'code');
  const constraint = field(error, 'constraint');
  if (code !== undefined && !socketCodes.has(code) && /^[0-9A-Z]{5}$/.test(code)) {
    return new DbError(classify(code), `${context}: ${message}`, {
      sqlState: code,
      ...(constraint === undefined ? {} : { constraint }),
      cause: error,
    });
  }
  if (
    (code !== undefined && socketCodes.has(code)) ||
    unavailableMessages.some((re) => re.test(message)) ||
    (error as { name?: unknown }).name === 'AggregateError'
  ) {
    return new DbError(DbErrorCode.Unavailable, `${context}: ${message || code}`, { cause: error });
  }
  return new DbError(DbErrorCode.QueryFailed, `${context}: ${message}`, { cause: error });
}
