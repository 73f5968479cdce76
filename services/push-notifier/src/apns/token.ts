// The APNs provider token (JWT ES256, `kid` = key id, `iss` = team id, `iat`), signed once and
// reused for every push until it ages: APNs accepts a token 20–60 minutes old and answers
// TooManyProviderTokenUpdates when a provider signs more often than every 20 minutes. So: one
// new token every `refreshAfterMs` (50 min by default, never less than 20), and one forced new
// token per token APNs rejects (ExpiredProviderToken) — all pushes that fail with the same
// token share that one new token.
import type { KeyObject } from 'node:crypto';
import type { Clock } from '../clock.js';
import { signJwt } from '../jwt.js';

/** APNs refuses a provider token refreshed more often than this. */
export const minTokenRefreshMs = 20 * 60_000;
/** APNs refuses a provider token older than this. */
export const maxTokenAgeMs = 60 * 60_000;

export interface ApnsTokenOptions {
  readonly key: KeyObject;
  readonly keyId: string;
  readonly teamId: string;
  readonly clock: Clock;
  /** Age at which a new token is signed (between 20 and 60 minutes; default 50). */
  readonly refreshAfterMs?: number;
}

export interface ApnsTokenSource {
  /** The token to put in `authorization: bearer …`. */
  current(): string;
  /** APNs refused `token`: the next current() signs a new one (once per refused token). */
  rejected(token: string): void;
  /** How many tokens were signed so far. */
  signed(): number;
}

export function createApnsTokenSource(options: ApnsTokenOptions): ApnsTokenSource {
  const refreshAfterMs = Math.min(
    Math.max(options.refreshAfterMs ?? 50 * 60_000, minTokenRefreshMs),
    maxTokenAgeMs - 60_000,
  );
  let token: string | undefined;
  let signedAtMs = 0;
  let count = 0;

  const sign = (): string => {
    signedAtMs = options.clock.now();
    count += 1;
    token = signJwt(
      'ES256',
      { kid: options.keyId },
      { iss: options.teamId, iat: Math.floor(signedAtMs / 1000) },
      options.key,
    );
    return token;
  };

  return {
    current() {
      if (token === undefined || options.clock.now() - signedAtMs >= refreshAfterMs) return sign();
      return token;
    },
    rejected(refused) {
      if (refused === token) token = undefined;
    },
    signed: () => count,
  };
}
