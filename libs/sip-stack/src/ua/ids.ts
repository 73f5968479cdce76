// Tags and Call-IDs (RFC 3261 §19.3: "at least 32 bits of randomness"; §8.1.1.4: Call-ID
// "MUST be selected by the UAC as a globally unique identifier").
import { randomBytes } from 'node:crypto';

/** A From/To tag: 64 random bits, token-safe. */
export function newTag(): string {
  return randomBytes(8).toString('hex');
}

/** A Call-ID: 96 random bits, `@host` when a host is given. */
export function newCallId(host?: string): string {
  const id = randomBytes(12).toString('base64url');
  return host ? `${id}@${host}` : id;
}
