import { documentedCodes, readPackageReadme } from '@sipwake/testkit';
import { RelayError, RelayErrorCode } from './errors.js';

describe('RelayError codes', () => {
  it('keeps the published table: codes are only ever appended', () => {
    expect(Object.entries(RelayErrorCode)).toEqual([
      ['BadSelector', 'BAD_SELECTOR'],
      ['BadOptions', 'BAD_OPTIONS'],
    ]);
  });

  it('matches the README table', () => {
    const documented = documentedCodes(readPackageReadme(__dirname), { section: 'Error codes' });
    expect(documented.map((row) => row.code)).toEqual(Object.values(RelayErrorCode));
  });

  it('carries its code and cause', () => {
    const cause = new Error('inner');
    const error = new RelayError(RelayErrorCode.BadOptions, 'prefixes', { cause });
    expect(error).toMatchObject({ name: 'RelayError', code: 'BAD_OPTIONS', cause });
  });
});
