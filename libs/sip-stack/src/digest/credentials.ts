// What a user's secret looks like to both roles: a password, or HA1 values stored per hash
// (as a registrar such as Kamailio stores `ha1`/`ha1b`; RFC 7616 §3.4.2 HA1 is bound to the realm).
import type { DigestHash } from './algorithm.js';
import { computeHa1 } from './compute.js';

/** HA1 = H(username ":" realm ":" password) per hash, lower-case hex. */
export type StoredHa1 = Readonly<Partial<Record<DigestHash, string>>>;

/** Client credentials with the password; `realm` limits them to that realm (else any realm). */
export interface PasswordCredentials {
  readonly username: string;
  readonly password: string;
  readonly realm?: string;
}

/** Client credentials from precomputed HA1 values: bound to their realm. */
export interface Ha1Credentials {
  readonly username: string;
  readonly realm: string;
  readonly ha1: StoredHa1;
}

export type DigestCredentials = PasswordCredentials | Ha1Credentials;

/** A user's secret as the server's lookup returns it. */
export type DigestSecret = { readonly password: string } | { readonly ha1: StoredHa1 };

/** H(A1) for this hash, or undefined when only other hashes' HA1 is stored. */
export function ha1Of(
  secret: DigestSecret,
  hash: DigestHash,
  username: string,
  realm: string,
): string | undefined {
  if ('password' in secret) return computeHa1(hash, username, realm, secret.password);
  return secret.ha1[hash]?.toLowerCase();
}
