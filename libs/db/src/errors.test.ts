import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DbError, DbErrorCode } from './errors.js';

/** The package README, found from the working directory (the package or the root). */
function readme(): string {
  for (const dir of [process.cwd(), join(process.cwd(), 'libs', 'db')]) {
    try {
      return readFileSync(join(dir, 'README.md'), 'utf8');
    } catch {
      // Try the next place.
    }
  }
  throw new Error('libs/db/README.md not found from ' + process.cwd());
}

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
    const documented = readme()
      .split('\n')
      .map((line) => /^\|\s*`([A-Z_]+)`\s*\|\s*(yes|no)\s*\|/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2] === 'yes']);
    const coded = Object.values(DbErrorCode).map((code) => [
      code,
      new DbError(code, 'x').retryable,
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
