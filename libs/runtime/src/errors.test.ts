import { documentedCodes, readPackageReadme } from '@sipwake/testkit';
import { RuntimeErrorCode } from './errors.js';

describe('runtime error codes', () => {
  it('keeps the published table: codes are only ever appended', () => {
    expect(Object.values(RuntimeErrorCode)).toEqual(['START_FAILED', 'STOP_FAILED']);
  });

  it('matches the README table, in order', () => {
    const documented = documentedCodes(readPackageReadme(__dirname), { section: 'Errors' });
    expect(documented.map((row) => row.code)).toEqual(Object.values(RuntimeErrorCode));
  });
});
