// The digest algorithms sipwake speaks: the IANA "HTTP Digest Hash Algorithms" registry entries
// that RFC 8760 brings to SIP (MD5, SHA-256, SHA-512-256, each with its -sess variant).
import { createHash } from 'node:crypto';

export const DigestAlgorithm = {
  MD5: 'MD5',
  MD5Sess: 'MD5-sess',
  SHA256: 'SHA-256',
  SHA256Sess: 'SHA-256-sess',
  SHA512_256: 'SHA-512-256',
  SHA512_256Sess: 'SHA-512-256-sess',
} as const;

export type DigestAlgorithm = (typeof DigestAlgorithm)[keyof typeof DigestAlgorithm];

/** The hash behind an algorithm: a stored HA1 is per hash (and realm), not per -sess variant. */
export type DigestHash = 'MD5' | 'SHA-256' | 'SHA-512-256';

export interface AlgorithmInfo {
  readonly name: DigestAlgorithm;
  readonly hash: DigestHash;
  /** RFC 7616 §3.4.2: a -sess algorithm folds nonce and cnonce into A1. */
  readonly session: boolean;
  /** Higher is stronger: SHA-512-256 > SHA-256 > MD5. */
  readonly strength: number;
}

const nodeHashes: Readonly<Record<DigestHash, string>> = {
  MD5: 'md5',
  'SHA-256': 'sha256',
  // FIPS 180-4 SHA-512/256 (its own initial values), not SHA-512 cut to 256 bits.
  'SHA-512-256': 'sha512-256',
};

const algorithms: readonly AlgorithmInfo[] = [
  { name: 'MD5', hash: 'MD5', session: false, strength: 1 },
  { name: 'MD5-sess', hash: 'MD5', session: true, strength: 1 },
  { name: 'SHA-256', hash: 'SHA-256', session: false, strength: 2 },
  { name: 'SHA-256-sess', hash: 'SHA-256', session: true, strength: 2 },
  { name: 'SHA-512-256', hash: 'SHA-512-256', session: false, strength: 3 },
  { name: 'SHA-512-256-sess', hash: 'SHA-512-256', session: true, strength: 3 },
];

/** Every algorithm, strongest first. */
export const allDigestAlgorithms: readonly DigestAlgorithm[] = [
  'SHA-512-256',
  'SHA-512-256-sess',
  'SHA-256',
  'SHA-256-sess',
  'MD5',
  'MD5-sess',
];

/**
 * The algorithm an `algorithm` parameter names, matched case-insensitively.
 * RFC 7616 §3.3: "If this is not present, it is assumed to be "MD5"."
 */
export function lookupAlgorithm(token: string | undefined): AlgorithmInfo | undefined {
  if (token === undefined) return algorithms[0];
  const wanted = token.trim().toLowerCase();
  return algorithms.find((a) => a.name.toLowerCase() === wanted);
}

export function algorithmInfo(name: DigestAlgorithm): AlgorithmInfo {
  const info = lookupAlgorithm(name);
  if (!info) throw new TypeError(`not a digest algorithm: ${name}`);
  return info;
}

/** H(data) as lower-case hex (RFC 8760 §2.2: four bits at a time, "0123456789abcdef"). */
export function digestHash(hash: DigestHash, data: string | Buffer): string {
  return createHash(nodeHashes[hash]).update(data).digest('hex');
}
