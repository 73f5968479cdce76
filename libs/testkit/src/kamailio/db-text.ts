// Kamailio's db_text tables for the test registrar: `version` and `subscriber`.
// PEERS.md: ha1/ha1b must be declared `,null` (an empty value in a column without it makes every
// auth fail: "null value not allowed"), and `version` must list subscriber:7 or auth_db refuses
// to start.
import { createHash } from 'node:crypto';

export interface KamailioUser {
  readonly username: string;
  readonly password: string;
  readonly domain: string;
}

export type DigestAlgorithm = 'MD5' | 'SHA-256';

/** The `version` table: auth_db checks subscriber's schema version. */
export function versionTable(): string {
  return ['table_name(string) table_version(int)', 'subscriber:7', ''].join('\n');
}

/**
 * The `subscriber` table holding HA1 values only (auth_db `calculate_ha1` off), so the plain
 * password is not written to disk. The realm is the user's domain (the script challenges with
 * `$td`): ha1 = H(username:domain:password), ha1b = H(username@domain:domain:password)
 * (RFC 2617 §3.2.2.2, RFC 7616 §3.4.2 for SHA-256).
 */
export function subscriberTable(
  users: readonly KamailioUser[],
  algorithm: DigestAlgorithm,
): string {
  const lines = ['id(int,auto) username(string) domain(string) ha1(string,null) ha1b(string,null)'];
  users.forEach((user, index) => {
    const ha1 = hash(algorithm, `${user.username}:${user.domain}:${user.password}`);
    const ha1b = hash(algorithm, `${user.username}@${user.domain}:${user.domain}:${user.password}`);
    lines.push(
      [String(index + 1), user.username, user.domain, ha1, ha1b].map(escapeDbText).join(':'),
    );
  });
  lines.push('');
  return lines.join('\n');
}

/** db_text escapes: `:` (the delimiter), `\`, newline, carriage return, tab and NUL. */
export function escapeDbText(value: string): string {
  return value.replace(/[\\:\n\r\t\0]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      case '\0':
        return '\\0';
      default:
        return `\\${c}`;
    }
  });
}

function hash(algorithm: DigestAlgorithm, text: string): string {
  return createHash(algorithm === 'MD5' ? 'md5' : 'sha256')
    .update(text)
    .digest('hex');
}
