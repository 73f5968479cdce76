import { documentedCodes, readPackageReadme } from '@sipwake/testkit';
import { ConfigError, ConfigErrorCode } from './errors.js';

describe('ConfigError codes', () => {
  it('keeps the published table: codes are only ever appended', () => {
    expect(Object.entries(ConfigErrorCode)).toEqual([
      ['Invalid', 'CONFIG_INVALID'],
      ['UnknownKey', 'CONFIG_UNKNOWN_KEY'],
      ['FileUnreadable', 'CONFIG_FILE_UNREADABLE'],
      ['FileInvalid', 'CONFIG_FILE_INVALID'],
      ['SchemaInvalid', 'CONFIG_SCHEMA_INVALID'],
    ]);
  });

  it('matches the README table', () => {
    const documented = documentedCodes(readPackageReadme(__dirname), {
      section: 'Error codes',
    }).map((row) => row.code);
    expect(documented).toEqual(Object.values(ConfigErrorCode));
  });

  it('carries its code, key and cause', () => {
    const cause = new Error('ENOENT');
    const error = new ConfigError('CONFIG_FILE_UNREADABLE', '/etc/sipwake.yaml', 'no', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect([error.code, error.key, error.cause]).toEqual([
      'CONFIG_FILE_UNREADABLE',
      '/etc/sipwake.yaml',
      cause,
    ]);
  });
});
