// Reading the Digest challenges of a 401/407 and choosing, per realm, the one to answer.
import type { AuthHeader } from '@sipwake/sip-parser';
import { lookupAlgorithm, type AlgorithmInfo, type DigestAlgorithm } from './algorithm.js';
import type { DigestQop } from './compute.js';
import { ha1Of, type DigestCredentials } from './credentials.js';
import { DigestError, DigestErrorCode } from './errors.js';

export type AuthorizationHeader = 'Authorization' | 'Proxy-Authorization';

export interface DigestChallengeInfo {
  /** The header that answers it: Authorization for WWW-Authenticate, else Proxy-Authorization. */
  readonly header: AuthorizationHeader;
  readonly realm: string;
  readonly nonce: string;
  readonly opaque: string | undefined;
  readonly algorithm: AlgorithmInfo;
  /** Whether the challenge named its algorithm (the answer echoes it only then). */
  readonly algorithmNamed: boolean;
  /** The qop options offered, lower-cased; undefined for an RFC 2069 challenge. */
  readonly qopOptions: readonly string[] | undefined;
  readonly stale: boolean;
  readonly userhash: boolean;
}

/** A challenge this client can answer: the credentials and qop it will use. */
export interface ChosenChallenge {
  readonly challenge: DigestChallengeInfo;
  readonly credentials: DigestCredentials;
  readonly ha1: string;
  readonly qop: DigestQop | undefined;
}

export interface ChoosePolicy {
  readonly credentials: readonly DigestCredentials[];
  readonly algorithms: ReadonlySet<DigestAlgorithm>;
  /** The request body: without one, a challenge that offers only auth-int cannot be answered. */
  readonly body: Buffer | undefined;
  readonly preferAuthInt: boolean;
}

export interface ChooseResult {
  readonly chosen: readonly ChosenChallenge[];
  /** Why a realm (or a challenge without one) could not be answered. */
  readonly failures: readonly DigestError[];
  readonly digestCount: number;
}

/**
 * Chooses one challenge per realm. RFC 8760 §2.4 lets a UAC take the topmost challenge it
 * supports "unless a local policy dictates otherwise"; sipwake's policy is the strongest
 * supported algorithm (SHA-512-256 > SHA-256 > MD5), the topmost among equals.
 */
export function chooseChallenges(
  headers: readonly AuthHeader[],
  header: AuthorizationHeader,
  policy: ChoosePolicy,
): ChooseResult {
  const byRealm = new Map<string, ChosenChallenge | DigestError>();
  const failures: DigestError[] = [];
  let digestCount = 0;
  for (const h of headers) {
    if (h.scheme.toLowerCase() !== 'digest') continue;
    digestCount++;
    const read = readChallenge(h, header);
    if (read instanceof DigestError) {
      failures.push(read);
      continue;
    }
    const candidate = evaluate(read, policy);
    const held = byRealm.get(read.realm);
    byRealm.set(read.realm, better(held, candidate));
  }
  const chosen: ChosenChallenge[] = [];
  for (const value of byRealm.values()) {
    if (value instanceof DigestError) failures.push(value);
    else chosen.push(value);
  }
  return { chosen, failures, digestCount };
}

function readChallenge(
  h: AuthHeader,
  header: AuthorizationHeader,
): DigestChallengeInfo | DigestError {
  const { realm, nonce, algorithm: token, qop, opaque, stale, userhash } = h.params;
  if (realm === undefined || nonce === undefined) {
    return new DigestError(
      DigestErrorCode.MalformedChallenge,
      'a Digest challenge lacks realm or nonce',
      {
        field: header,
        ...(realm === undefined ? {} : { realm }),
      },
    );
  }
  const algorithm = lookupAlgorithm(token);
  if (!algorithm) {
    return new DigestError(
      DigestErrorCode.UnsupportedAlgorithm,
      `algorithm ${token} is not supported`,
      {
        realm,
        ...(token === undefined ? {} : { algorithm: token }),
      },
    );
  }
  const qopOptions = qop?.split(',').map((q) => q.trim().toLowerCase());
  return {
    header,
    realm,
    nonce,
    opaque,
    algorithm,
    algorithmNamed: token !== undefined,
    qopOptions,
    stale: stale?.toLowerCase() === 'true',
    userhash: userhash?.toLowerCase() === 'true',
  };
}

function evaluate(
  challenge: DigestChallengeInfo,
  policy: ChoosePolicy,
): ChosenChallenge | DigestError {
  const { realm, algorithm } = challenge;
  if (!policy.algorithms.has(algorithm.name)) {
    return new DigestError(
      DigestErrorCode.UnsupportedAlgorithm,
      `algorithm ${algorithm.name} is not accepted`,
      {
        realm,
        algorithm: algorithm.name,
      },
    );
  }
  const qop = chooseQop(challenge, policy);
  if (qop instanceof DigestError) return qop;
  const credentials = findCredentials(policy.credentials, realm);
  const ha1 = credentials && ha1Of(credentials, algorithm.hash, credentials.username, realm);
  if (!credentials || ha1 === undefined) {
    return new DigestError(DigestErrorCode.NoCredentials, `no credentials for realm ${realm}`, {
      realm,
      algorithm: algorithm.name,
    });
  }
  return { challenge, credentials, ha1, qop };
}

function chooseQop(
  challenge: DigestChallengeInfo,
  policy: ChoosePolicy,
): DigestQop | undefined | DigestError {
  const options = challenge.qopOptions;
  if (options === undefined) {
    // RFC 2617 §3.2.2: cnonce "MUST NOT be specified if the server did not send a qop
    // directive", and a -sess A1 needs one: such a challenge cannot be answered.
    if (!challenge.algorithm.session) return undefined;
    return new DigestError(
      DigestErrorCode.MalformedChallenge,
      `${challenge.algorithm.name} without qop`,
      {
        realm: challenge.realm,
        algorithm: challenge.algorithm.name,
      },
    );
  }
  const auth = options.includes('auth');
  const authInt = options.includes('auth-int') && policy.body !== undefined;
  if (authInt && (policy.preferAuthInt || !auth)) return 'auth-int';
  if (auth) return 'auth';
  return new DigestError(
    DigestErrorCode.UnsupportedQop,
    `qop "${options.join(', ')}" cannot be met`,
    {
      realm: challenge.realm,
      algorithm: challenge.algorithm.name,
    },
  );
}

/** Credentials for exactly this realm first, then credentials for any realm. */
function findCredentials(
  all: readonly DigestCredentials[],
  realm: string,
): DigestCredentials | undefined {
  return all.find((c) => c.realm === realm) ?? all.find((c) => c.realm === undefined);
}

/** How far a failed challenge got: the furthest one explains best why a realm went unanswered. */
export function failureRank(error: DigestError): number {
  switch (error.code) {
    case DigestErrorCode.NoCredentials:
      return 4;
    case DigestErrorCode.UnsupportedQop:
      return 3;
    case DigestErrorCode.UnsupportedAlgorithm:
      return 2;
    case DigestErrorCode.MalformedChallenge:
      return 1;
    default:
      return 0;
  }
}

function better(
  held: ChosenChallenge | DigestError | undefined,
  candidate: ChosenChallenge | DigestError,
): ChosenChallenge | DigestError {
  if (held === undefined) return candidate;
  if (held instanceof DigestError) {
    if (!(candidate instanceof DigestError)) return candidate;
    return failureRank(candidate) > failureRank(held) ? candidate : held;
  }
  if (candidate instanceof DigestError) return held;
  // Strictly stronger replaces; among equals the topmost (the server's preference) stays.
  return candidate.challenge.algorithm.strength > held.challenge.algorithm.strength
    ? candidate
    : held;
}
