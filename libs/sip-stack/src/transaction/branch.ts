// Via branch parameters (RFC 3261 §8.1.1.7): unique across space and time, starting with the
// magic cookie so that §17.2.3 matching by branch applies.
import { randomBytes } from 'node:crypto';

/** RFC 3261 §8.1.1.7: "The branch ID inserted by an element compliant with this specification MUST always begin with the characters "z9hG4bK"." */
export const MAGIC_COOKIE = 'z9hG4bK';

/** Whether the branch was made by an RFC 3261 element (else RFC 2543 matching applies). */
export function hasMagicCookie(branch: string | undefined): branch is string {
  return branch !== undefined && branch.startsWith(MAGIC_COOKIE);
}

/**
 * A new branch: the magic cookie, an optional token-safe marker (a proxy may carry routing data
 * there), and 96 random bits (unguessable, so that nobody can inject a response).
 */
export function generateBranch(marker = ''): string {
  if (marker !== '' && !/^[A-Za-z0-9.!%*_+`'~-]+$/.test(marker)) {
    throw new TypeError(`branch marker must be a SIP token, got ${JSON.stringify(marker)}`);
  }
  const random = randomBytes(12).toString('base64url');
  return `${MAGIC_COOKIE}${marker === '' ? '' : `${marker}-`}${random}`;
}
