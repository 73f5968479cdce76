// The digest server's options: defaults beside them, checked once, a bad value named by its key.
import {
  allDigestAlgorithms,
  lookupAlgorithm,
  type DigestAlgorithm,
  type DigestHash,
} from './algorithm.js';
import type { Clock } from '../clock.js';
import type { DigestQop } from './compute.js';
import type { DigestSecret } from './credentials.js';
import { DigestError, DigestErrorCode } from './errors.js';
import { quoteString } from './format.js';

/** Finds a user's secret; undefined: unknown user. A rejection becomes DIGEST_LOOKUP_FAILED. */
export type DigestLookup = (username: string, realm: string) => Promise<DigestSecret | undefined>;

/** Finds a user by RFC 7616 §3.4.4 userhash, H(username ":" realm) with the given hash. */
export type DigestUserhashLookup = (
  userhash: string,
  hash: DigestHash,
  realm: string,
) => Promise<{ readonly username: string; readonly secret: DigestSecret } | undefined>;

export interface DigestServerOptions {
  readonly realm: string;
  /** Binds nonces to this server (or to every server sharing it): at least 16 bytes. */
  readonly secret: Buffer | string;
  /**
   * Nonce issue times and ages come from this clock. Processes that share a secret (and so
   * accept each other's nonces) need a shared wall clock here, not the monotonic systemClock().
   */
  readonly clock: Clock;
  readonly lookup: DigestLookup;
  /** When given, challenges say `userhash=true` and hashed usernames are accepted. */
  readonly lookupUserhash?: DigestUserhashLookup;
  /** How long a nonce is good for (default 300 000 ms); an older one gets a stale challenge. */
  readonly nonceLifetimeMs?: number;
  /** Offered in this order of preference, one challenge each (default SHA-256, MD5). */
  readonly algorithms?: readonly DigestAlgorithm[];
  /** qop values offered (default auth); empty: RFC 2069 challenges, each nonce used once. */
  readonly qop?: readonly DigestQop[];
  /** A proxy: 407 Proxy-Authenticate, and credentials from Proxy-Authorization (default false). */
  readonly proxy?: boolean;
  /** Nonces whose highest nc is remembered (default 10 000). */
  readonly maxTrackedNonces?: number;
  /** Refuse credentials whose `uri` is not the Request-URI (default true). */
  readonly checkUri?: boolean;
  readonly randomBytes?: (size: number) => Buffer;
}

export interface ResolvedServerOptions {
  readonly realm: string;
  readonly secret: Buffer;
  readonly nonceLifetimeMs: number;
  readonly algorithms: readonly DigestAlgorithm[];
  readonly qop: readonly DigestQop[];
  readonly proxy: boolean;
  readonly maxTrackedNonces: number;
  readonly checkUri: boolean;
}

export const digestServerDefaults = {
  nonceLifetimeMs: 300_000,
  algorithms: ['SHA-256', 'MD5'] as readonly DigestAlgorithm[],
  qop: ['auth'] as readonly DigestQop[],
  maxTrackedNonces: 10_000,
} as const;

export function resolveServerOptions(options: DigestServerOptions): ResolvedServerOptions {
  const secret =
    typeof options.secret === 'string' ? Buffer.from(options.secret, 'utf8') : options.secret;
  if (!Buffer.isBuffer(secret) || secret.length < 16)
    invalid('secret', 'must be at least 16 bytes');
  if (typeof options.realm !== 'string' || options.realm === '')
    invalid('realm', 'must be a non-empty string');
  try {
    quoteString('realm', options.realm);
  } catch {
    invalid('realm', 'contains CR, LF or NUL');
  }
  const nonceLifetimeMs = options.nonceLifetimeMs ?? digestServerDefaults.nonceLifetimeMs;
  if (!Number.isFinite(nonceLifetimeMs) || nonceLifetimeMs <= 0)
    invalid('nonceLifetimeMs', 'must be > 0');
  const maxTrackedNonces = options.maxTrackedNonces ?? digestServerDefaults.maxTrackedNonces;
  if (!Number.isInteger(maxTrackedNonces) || maxTrackedNonces < 1)
    invalid('maxTrackedNonces', 'must be an integer ≥ 1');
  const algorithms = options.algorithms ?? digestServerDefaults.algorithms;
  if (algorithms.length === 0) invalid('algorithms', 'at least one algorithm is needed');
  for (const a of algorithms) {
    if (!allDigestAlgorithms.includes(a)) invalid('algorithms', `unknown algorithm ${String(a)}`);
  }
  const qop = options.qop ?? digestServerDefaults.qop;
  for (const q of qop)
    if (q !== 'auth' && q !== 'auth-int') invalid('qop', `unknown qop ${String(q)}`);
  if (qop.length === 0 && algorithms.some((a) => lookupAlgorithm(a)?.session)) {
    invalid('algorithms', 'a -sess algorithm needs qop (its A1 takes the cnonce)');
  }
  return {
    realm: options.realm,
    secret,
    nonceLifetimeMs,
    algorithms: [...new Set(algorithms)],
    qop: [...new Set(qop)],
    proxy: options.proxy ?? false,
    maxTrackedNonces,
    checkUri: options.checkUri ?? true,
  };
}

function invalid(key: string, why: string): never {
  throw new DigestError(DigestErrorCode.InvalidOptions, `digest server option ${key}: ${why}`, {
    field: key,
  });
}
