// Instance tokens: 32 random bytes shown once (base64url), stored as their SHA-256 (hex). A
// presented token is hashed and compared in constant time; an unknown selector is compared
// against a fixed hash so that it takes the same path as a wrong token.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_BYTES = 32;
/** 32 bytes in unpadded base64url (RFC 4648 §5). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const ABSENT_HASH = Buffer.alloc(32, 0xa5);

export function newInstanceToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer +(\S+)$/i.exec(header.trim());
  const token = match?.[1];
  return token !== undefined && TOKEN_PATTERN.test(token) ? token : undefined;
}

/**
 * Whether `token` hashes to `storedHash`. Always hashes and compares 32 bytes, whether the token
 * or the stored hash is absent, so the answer takes the same time in every case.
 */
export function tokenMatches(token: string | undefined, storedHash: string | undefined): boolean {
  const presented = Buffer.from(hashToken(token ?? ''), 'hex');
  const stored =
    storedHash !== undefined && /^[0-9a-f]{64}$/.test(storedHash)
      ? Buffer.from(storedHash, 'hex')
      : ABSENT_HASH;
  const equal = timingSafeEqual(presented, stored);
  return equal && token !== undefined && stored !== ABSENT_HASH;
}

/** The credentials of an `Authorization: Bearer <credentials>` header, whatever their form. */
export function bearerCredentials(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  return /^Bearer +(\S+)$/i.exec(header.trim())?.[1];
}

/**
 * Whether `presented` is the configured admin token. Both are hashed first, so the compare is
 * constant-time over 32 bytes whatever their lengths, and neither length leaks.
 */
export function adminTokenMatches(presented: string | undefined, configured: string): boolean {
  const a = createHash('sha256')
    .update(presented ?? '', 'utf8')
    .digest();
  const b = createHash('sha256').update(configured, 'utf8').digest();
  return timingSafeEqual(a, b) && presented !== undefined && configured.length > 0;
}
