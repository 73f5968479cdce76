import { DbError } from './errors.js';
import { toDbError } from './map-error.js';

function pgError(code: string, message: string, extra: object = {}): Error {
  return Object.assign(new Error(message), { code, ...extra });
}

describe('toDbError', () => {
  it.each([
    ['23505', 'CONFLICT'],
    ['23P01', 'CONFLICT'],
    ['23503', 'CONSTRAINT'],
    ['23502', 'CONSTRAINT'],
    ['23514', 'CONSTRAINT'],
    ['40001', 'SERIALIZATION'],
    ['40P01', 'SERIALIZATION'],
    ['57014', 'TIMEOUT'],
    ['57P01', 'UNAVAILABLE'],
    ['57P03', 'UNAVAILABLE'],
    ['08006', 'UNAVAILABLE'],
    ['53300', 'UNAVAILABLE'],
    ['42601', 'QUERY_FAILED'],
    ['42P01', 'QUERY_FAILED'],
  ])('maps SQLSTATE %s to %s', (sqlState, code) => {
    const mapped = toDbError(pgError(sqlState, 'server said no'), 'query failed');
    expect(mapped.code).toBe(code);
    expect(mapped.sqlState).toBe(sqlState);
    expect(mapped.message).toBe('query failed: server said no');
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND'])(
    'maps the socket error %s to a retryable UNAVAILABLE',
    (code) => {
      const mapped = toDbError(pgError(code, `connect ${code} 127.0.0.1:1`), 'ping');
      expect(mapped.code).toBe('UNAVAILABLE');
      expect(mapped.retryable).toBe(true);
      expect(mapped.sqlState).toBeUndefined();
    },
  );

  it("maps pg's ended connection and connect timeout to UNAVAILABLE", () => {
    expect(toDbError(new Error('Connection terminated unexpectedly'), 'q').code).toBe(
      'UNAVAILABLE',
    );
    expect(toDbError(new Error('Connection terminated due to connection timeout'), 'q').code).toBe(
      'UNAVAILABLE',
    );
  });

  it('keeps the constraint name and the driver error as the cause', () => {
    const driver = pgError('23505', 'duplicate key value violates unique constraint "x_pkey"', {
      constraint: 'x_pkey',
      detail: 'Key (a)=(secret) already exists.',
    });
    const mapped = toDbError(driver, 'query failed');
    expect(mapped.constraint).toBe('x_pkey');
    expect(mapped.cause).toBe(driver);
    expect(mapped.message).not.toContain('secret');
  });

  it('passes a DbError through and maps anything else to QUERY_FAILED', () => {
    const own = new DbError('CLOSED', 'closed');
    expect(toDbError(own, 'q')).toBe(own);
    expect(toDbError('weird', 'q').code).toBe('QUERY_FAILED');
    expect(toDbError(new Error('bind message supplies 1 parameters'), 'q').code).toBe(
      'QUERY_FAILED',
    );
  });
});
