// The README's error-code and configuration tables match the code.
import { configTableDifferences } from '@sipwake/config';
import { readPackageReadme } from '@sipwake/testkit';
import { configSchema } from './config.js';
import { PersisterError, PersisterErrorCode } from './errors.js';

const readme = (): string => readPackageReadme(__dirname);

describe('README', () => {
  it('lists every error code, and only those', () => {
    const section = readme().split('## Error codes')[1] ?? '';
    const listed = [...section.matchAll(/^\| `([A-Z_]+)` /gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.values(PersisterErrorCode).sort());
  });

  it('has the configuration table of the schema', () => {
    expect(configTableDifferences(readme(), configSchema)).toEqual([]);
  });
});

describe('PersisterError', () => {
  it('carries its code and whether a retry can succeed', () => {
    const error = new PersisterError(PersisterErrorCode.StoreFailed, 'x', { retryable: true });
    expect(error).toMatchObject({ code: 'STORE_FAILED', retryable: true, name: 'PersisterError' });
    expect(new PersisterError(PersisterErrorCode.BadCursor, 'y').retryable).toBe(false);
  });
});
