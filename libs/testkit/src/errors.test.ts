import { TestkitErrorCode } from './errors.js';
import { documentedCodes, readPackageReadme } from './readme-table.js';

describe('error codes', () => {
  it('are the documented table, in order', () => {
    const documented = documentedCodes(readPackageReadme(__dirname), {
      section: 'Error codes',
    }).map((row) => row.code);
    expect(documented).toEqual(Object.values(TestkitErrorCode));
  });
});
