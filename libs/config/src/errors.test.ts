import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, ConfigErrorCode } from './errors.js';

/** The package README, found from the working directory (the root or the package). */
function readme(): string {
  for (const dir of [join(process.cwd(), 'libs', 'config'), process.cwd()]) {
    try {
      return readFileSync(join(dir, 'README.md'), 'utf8');
    } catch {
      // Try the next place.
    }
  }
  throw new Error('libs/config/README.md not found from ' + process.cwd());
}

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
    const documented = readme()
      .split('\n')
      .map((line) => /^\|\s*`(CONFIG_[A-Z_]+)`\s*\|/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => m[1]);
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
