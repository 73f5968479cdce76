// The README's error-code and configuration tables match the code.
import { configTableDifferences } from '@sipwake/config';
import { documentedCodes, readPackageReadme } from '@sipwake/testkit';
import { configSchema } from './config.js';
import { RouterError, RouterErrorCode } from './errors.js';

const readme = (): string => readPackageReadme(__dirname);

describe('README', () => {
  it('lists every error code, and only those, in order', () => {
    const documented = documentedCodes(readme(), { section: 'Error codes' }).map((r) => r.code);
    expect(documented).toEqual(Object.values(RouterErrorCode));
  });

  it('has the configuration table of the schema', () => {
    expect(configTableDifferences(readme(), configSchema)).toEqual([]);
  });
});

describe('RouterError', () => {
  it('carries its code and cause', () => {
    const cause = new Error('ENOENT');
    expect(new RouterError(RouterErrorCode.TlsFilesUnreadable, 'x', { cause })).toMatchObject({
      name: 'RouterError',
      code: 'TLS_FILES_UNREADABLE',
      cause,
    });
  });
});
