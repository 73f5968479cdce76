import { documentedCodes, readPackageReadme } from '@sipwake/testkit';
import { DbError, DbErrorCode } from './errors.js';

describe('DbError codes', () => {
  it('keeps the published table: codes are only ever appended', () => {
    expect(Object.entries(DbErrorCode)).toEqual([
      ['Unavailable', 'UNAVAILABLE'],
      ['Timeout', 'TIMEOUT'],
      ['Conflict', 'CONFLICT'],
      ['Constraint', 'CONSTRAINT'],
      ['Serialization', 'SERIALIZATION'],
      ['QueryFailed', 'QUERY_FAILED'],
      ['MigrationFailed', 'MIGRATION_FAILED'],
      ['Closed', 'CLOSED'],
      ['BadOptions', 'BAD_OPTIONS'],
    ]);
  });

  it('matches the README table: the same codes with the same retryability', () => {
    const documented = documentedCodes(readPackageReadme(__dirname), {
      section: 'Error codes',
    }).map(({ code, columns }) => [code, columns[0]]);
    const coded = Object.values(DbErrorCode).map((code) => [
      code,
      new DbError(code, 'x').retryable ? 'yes' : 'no',
    ]);
    expect(documented).toEqual(coded);
  });

  it('carries its code, SQLSTATE, constraint and cause', () => {
    const cause = new Error('duplicate key');
    const error = new DbError('CONFLICT', 'no', {
      sqlState: '23505',
      constraint: 'devices_pkey',
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DbError');
    expect(error.code).toBe('CONFLICT');
    expect(error.retryable).toBe(false);
    expect(error.sqlState).toBe('23505');
    expect(error.constraint).toBe('devices_pkey');
    expect(error.cause).toBe(cause);
  });
});
