import { documentedCodes, readPackageReadme } from '@sipwake/testkit';
import { SecretsError, SecretsErrorCode } from './errors.js';

describe('SecretsError codes', () => {
  it('keeps the published table: codes are only ever appended', () => {
    expect(Object.values(SecretsErrorCode)).toEqual([
      'KEY_FILE_MISSING',
      'KEY_FILE_UNREADABLE',
      'KEY_FILE_PERMISSIONS',
      'KEY_FILE_INVALID',
      'KEY_INVALID',
      'CURRENT_KEY_UNKNOWN',
      'KEY_ID_TAKEN',
      'KEY_FILE_EXISTS',
      'KEY_FILE_WRITE_FAILED',
      'KEY_IN_USE',
      'SEALED_MALFORMED',
      'UNKNOWN_KEY_ID',
      'DECRYPT_FAILED',
      'ROTATION_INTERRUPTED',
    ]);
  });

  it('matches the README table, in order', () => {
    const documented = documentedCodes(readPackageReadme(__dirname), {
      section: 'Errors',
    }).map((row) => row.code);
    expect(documented).toEqual(Object.values(SecretsErrorCode));
  });

  it('carries its code, path, key id and cause', () => {
    const cause = { code: 'ENOENT' };
    const error = new SecretsError('KEY_FILE_MISSING', 'gone', { path: '/k', keyId: 'k1', cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'SecretsError',
      code: 'KEY_FILE_MISSING',
      path: '/k',
      keyId: 'k1',
    });
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe('SecretsError: gone');
  });
});
