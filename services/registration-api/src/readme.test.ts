// The README's error-code and configuration tables match the code.
import { configTableDifferences } from '@sipwake/config';
import { readPackageReadme } from '@sipwake/testkit';
import { configSchema } from './config.js';
import { ApiError, ApiErrorCode, ApiErrorStatus } from './errors.js';

const readme = (): string => readPackageReadme(__dirname);

describe('README', () => {
  it('lists every error code with its status, and only those', () => {
    const section = readme().split('## Error codes')[1]?.split('\n## ')[0] ?? '';
    const listed = [...section.matchAll(/^\| `([a-z-]+)` +\| (\d{3}) /gm)].map((m) => [
      m[1],
      Number(m[2]),
    ]);
    expect(listed.sort()).toEqual(
      Object.values(ApiErrorCode)
        .map((code) => [code, ApiErrorStatus[code]])
        .sort(),
    );
  });

  it('has the configuration table of the schema', () => {
    expect(configTableDifferences(readme(), configSchema)).toEqual([]);
  });
});

describe('ApiError', () => {
  it('carries its code, status and field', () => {
    const error = new ApiError(ApiErrorCode.InvalidBody, 'x', { field: '/account/domain' });
    expect(error).toMatchObject({
      code: 'invalid-body',
      statusCode: 400,
      field: '/account/domain',
      name: 'ApiError',
    });
    expect(new ApiError(ApiErrorCode.Unauthorized, 'y').statusCode).toBe(401);
  });
});
