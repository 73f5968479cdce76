import { documentedCodes, readPackageReadme } from '@sipwake/testkit';
import { ContractError, ContractErrorCode } from './errors.js';

describe('ContractError codes', () => {
  it('keeps the published table: codes are only ever appended', () => {
    expect(Object.values(ContractErrorCode)).toEqual([
      'INVALID_MESSAGE',
      'BAD_PREFIX',
      'PREFIX_LENGTH_OUT_OF_RANGE',
      'PREFIX_BITS_BEYOND_LENGTH',
      'PREFIX_TOO_FINE_FOR_SUBJECTS',
      'BAD_SELECTOR',
      'BAD_ACCOUNT_IDENTITY',
      'BAD_SUBJECT_TOKEN',
      'BAD_HOST_PREFIX_LENGTH',
    ]);
  });

  it('matches the README table', () => {
    const documented = documentedCodes(readPackageReadme(__dirname), {
      section: 'Errors',
    }).map((row) => row.code);
    expect(documented).toEqual(Object.values(ContractErrorCode));
  });

  it('carries its code, evidence and cause', () => {
    const cause = new Error('inner');
    const error = new ContractError('INVALID_MESSAGE', 'bad', {
      subject: 'sw.push',
      errors: [{ path: '/selector', message: 'Expected string' }],
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ContractError');
    expect(error.code).toBe('INVALID_MESSAGE');
    expect(error.subject).toBe('sw.push');
    expect(error.errors).toEqual([{ path: '/selector', message: 'Expected string' }]);
    expect(error.cause).toBe(cause);
    expect(new ContractError('BAD_PREFIX', 'x').errors).toEqual([]);
  });
});
