// The UAC side of digest authentication: answers 401/407 challenges and signs later requests
// with the nonces it holds (nc counting up per nonce, RFC 7616 §3.4).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthHeader } from '@sipwake/sip-parser';
import { allDigestAlgorithms, type DigestAlgorithm } from './algorithm.js';
import {
  chooseChallenges,
  failureRank,
  type AuthorizationHeader,
  type ChosenChallenge,
  type ChoosePolicy,
} from './challenge.js';
import {
  computeResponse,
  computeRspauth,
  computeUserhash,
  formatNonceCount,
  type DigestInput,
  type DigestQop,
} from './compute.js';
import type { DigestCredentials } from './credentials.js';
import { DigestError, DigestErrorCode } from './errors.js';
import { formatDigestHeader, type AuthParam } from './format.js';

export interface DigestClientOptions {
  /** One account's credentials, or several (a realm-bound entry wins over one for any realm). */
  readonly credentials: DigestCredentials | readonly DigestCredentials[];
  /** Algorithms accepted, default all six (a policy may drop MD5). */
  readonly algorithms?: readonly DigestAlgorithm[];
  /** Take auth-int over auth when both are offered and the body is known (default false). */
  readonly preferAuthInt?: boolean;
  /** Makes a client nonce (default 16 random bytes, hex). */
  readonly cnonce?: () => string;
  /** Realms whose nonce is held for later requests, least recently used dropped (default 16). */
  readonly maxRealms?: number;
}

export interface DigestRequest {
  readonly method: string;
  /** The Request-URI as it will be sent: it becomes the digest-uri. */
  readonly uri: string;
  readonly body?: Buffer;
}

export interface DigestChallengeResponse extends DigestRequest {
  readonly wwwAuthenticate?: readonly AuthHeader[];
  readonly proxyAuthenticate?: readonly AuthHeader[];
  /**
   * The answers the challenged request carried. A realm that challenges again without stale=true
   * refused them (DIGEST_CREDENTIALS_REJECTED), unless they were signed with a reused nonce: that
   * gets one retry with the new nonce.
   */
  readonly previous?: readonly DigestAnswer[];
}

/** One Authorization / Proxy-Authorization header field to add to the request. */
export interface DigestAnswer {
  readonly header: AuthorizationHeader;
  /** The field value, e.g. `Digest username="alice", realm="…", …`. */
  readonly value: string;
  /** The same parameters, unquoted, as the parser gives them (`AuthHeader.params`). */
  readonly params: Readonly<Record<string, string>>;
  readonly realm: string;
  readonly algorithm: DigestAlgorithm;
  readonly qop: DigestQop | undefined;
  readonly nc: number | undefined;
  /** Signed with a nonce held from an earlier challenge (authorize, or carried forward). */
  readonly reusedNonce: boolean;
}

export type AuthenticationInfoCheck = 'verified' | 'mismatch' | 'absent' | 'unverifiable';

export interface DigestClient {
  /**
   * Answers the challenges of a 401/407, one answer per challenged realm (the strongest supported
   * challenge of each), plus the realms of `previous` that were not challenged again (with their
   * next nc). Throws DigestError when nothing can be answered or the credentials were refused.
   */
  answer(response: DigestChallengeResponse): DigestAnswer[];
  /** Answers for a new request from the nonces held, next nc each; empty when none is held. */
  authorize(request: DigestRequest): DigestAnswer[];
  /** RFC 7616 §3.5: checks `rspauth` of an Authentication-Info against the answer it follows. */
  checkAuthenticationInfo(
    answer: DigestAnswer,
    info: Readonly<Record<string, string>>,
    request: DigestRequest,
  ): AuthenticationInfoCheck;
  /** Drops every nonce held (after a password change). */
  reset(): void;
}

interface HeldNonce {
  readonly chosen: ChosenChallenge;
  nc: number;
}

export function createDigestClient(options: DigestClientOptions): DigestClient {
  const credentials = Array.isArray(options.credentials)
    ? (options.credentials as readonly DigestCredentials[])
    : [options.credentials as DigestCredentials];
  if (credentials.length === 0)
    invalidOption('credentials', 'at least one set of credentials is needed');
  const maxRealms = options.maxRealms ?? 16;
  if (!Number.isInteger(maxRealms) || maxRealms < 1)
    invalidOption('maxRealms', 'must be an integer ≥ 1');
  const algorithms = new Set(options.algorithms ?? allDigestAlgorithms);
  const makeCnonce = options.cnonce ?? (() => randomBytes(16).toString('hex'));
  const held = new Map<string, HeldNonce>();

  function hold(key: string, entry: HeldNonce): void {
    held.delete(key);
    held.set(key, entry);
    for (const oldest of held.keys()) {
      if (held.size <= maxRealms) break;
      held.delete(oldest);
    }
  }

  function sign(entry: HeldNonce, request: DigestRequest, reusedNonce: boolean): DigestAnswer {
    const { challenge, credentials: creds, ha1, qop } = entry.chosen;
    const nc = qop === undefined ? undefined : ++entry.nc;
    const input: DigestInput = {
      algorithm: challenge.algorithm,
      ha1,
      nonce: challenge.nonce,
      method: request.method,
      uri: request.uri,
      ...(qop === undefined ? {} : { qop, nc: formatNonceCount(nc ?? 1), cnonce: makeCnonce() }),
      ...(request.body === undefined ? {} : { body: request.body }),
    };
    const username = challenge.userhash
      ? computeUserhash(challenge.algorithm.hash, creds.username, challenge.realm)
      : creds.username;
    // The order of RFC 7616 §3.9.1's example; servers read the parameters in any order.
    const params: AuthParam[] = [
      { name: 'username', value: username, quoted: true },
      { name: 'realm', value: challenge.realm, quoted: true },
      { name: 'uri', value: request.uri, quoted: true },
    ];
    if (challenge.algorithmNamed)
      params.push({ name: 'algorithm', value: challenge.algorithm.name, quoted: false });
    params.push({ name: 'nonce', value: challenge.nonce, quoted: true });
    if (input.qop !== undefined) {
      params.push({ name: 'nc', value: input.nc ?? '', quoted: false });
      params.push({ name: 'cnonce', value: input.cnonce ?? '', quoted: true });
      params.push({ name: 'qop', value: input.qop, quoted: false });
    }
    params.push({ name: 'response', value: computeResponse(input), quoted: true });
    if (challenge.opaque !== undefined)
      params.push({ name: 'opaque', value: challenge.opaque, quoted: true });
    // RFC 7616 §3.4.4: "userhash" … "If the client hashes the username, it MUST set this to true".
    if (challenge.userhash) params.push({ name: 'userhash', value: 'true', quoted: false });
    return {
      header: challenge.header,
      value: formatDigestHeader(params),
      params: Object.fromEntries(params.map((p) => [p.name, p.value])),
      realm: challenge.realm,
      algorithm: challenge.algorithm.name,
      qop,
      nc,
      reusedNonce,
    };
  }

  return {
    answer(response) {
      const policy: ChoosePolicy = {
        credentials,
        algorithms,
        body: response.body,
        preferAuthInt: options.preferAuthInt ?? false,
      };
      const results = [
        chooseChallenges(response.wwwAuthenticate ?? [], 'Authorization', policy),
        chooseChallenges(response.proxyAuthenticate ?? [], 'Proxy-Authorization', policy),
      ];
      if (results.every((r) => r.digestCount === 0)) {
        throw new DigestError(
          DigestErrorCode.NoChallenge,
          'the response carries no Digest challenge',
        );
      }
      const chosen = results.flatMap((r) => r.chosen);
      const previous = response.previous ?? [];
      for (const c of chosen) {
        const sent = previous.find(
          (a) => a.header === c.challenge.header && a.realm === c.challenge.realm,
        );
        // RFC 7616 §3.3 stale: "If stale is true, the client may wish to simply retry the request
        // with a new encrypted response, without re-prompting the user for a new username and
        // password. […] If stale is false, or anything other than true, or the stale parameter is
        // not present, the username and/or password are invalid". Many registrars (Kamailio's
        // www_challenge without its stale flag) refuse an expired nonce without saying stale, so
        // an answer from a reused nonce earns one retry; an answer to a fresh challenge does not.
        if (sent && !sent.reusedNonce && !c.challenge.stale) {
          throw new DigestError(
            DigestErrorCode.CredentialsRejected,
            `credentials refused by realm ${c.challenge.realm}`,
            { realm: c.challenge.realm, field: c.challenge.header },
          );
        }
      }
      const answered = new Set<string>();
      const answers: DigestAnswer[] = [];
      for (const c of chosen) {
        const key = keyOf(c.challenge.header, c.challenge.realm);
        const before = held.get(key);
        const sameNonce =
          before !== undefined && before.chosen.challenge.nonce === c.challenge.nonce;
        const entry: HeldNonce = { chosen: c, nc: sameNonce ? before.nc : 0 };
        hold(key, entry);
        answered.add(key);
        answers.push(sign(entry, response, false));
      }
      for (const a of previous) {
        const key = keyOf(a.header, a.realm);
        const entry = held.get(key);
        if (answered.has(key) || !entry) continue;
        answered.add(key);
        answers.push(sign(entry, response, true));
      }
      if (answers.length === 0) throw mostTelling(results.flatMap((r) => r.failures));
      return answers;
    },

    authorize(request) {
      return [...held.values()].map((entry) => sign(entry, request, true));
    },

    checkAuthenticationInfo(answer, info, request) {
      const rspauth = info['rspauth'];
      if (rspauth === undefined) return 'absent';
      const entry = held.get(keyOf(answer.header, answer.realm));
      const nonce = answer.params['nonce'];
      if (
        !entry ||
        entry.chosen.challenge.algorithm.name !== answer.algorithm ||
        nonce === undefined
      ) {
        return 'unverifiable';
      }
      const { qop, nc, cnonce, uri } = answer.params;
      const expected = computeRspauth({
        algorithm: entry.chosen.challenge.algorithm,
        ha1: entry.chosen.ha1,
        nonce,
        method: request.method,
        uri: uri ?? request.uri,
        ...(answer.qop === undefined ? {} : { qop: answer.qop }),
        ...(qop === undefined ? {} : { nc: nc ?? '', cnonce: cnonce ?? '' }),
        ...(request.body === undefined ? {} : { body: request.body }),
      });
      const got = Buffer.from(rspauth.toLowerCase());
      const want = Buffer.from(expected);
      return got.length === want.length && timingSafeEqual(got, want) ? 'verified' : 'mismatch';
    },

    reset() {
      held.clear();
    },
  };
}

function keyOf(header: AuthorizationHeader, realm: string): string {
  return `${header}\n${realm}`;
}

/** The failure that got furthest explains best why nothing could be answered. */
function mostTelling(failures: readonly DigestError[]): DigestError {
  const [first, ...rest] = failures;
  if (!first)
    return new DigestError(DigestErrorCode.NoChallenge, 'no Digest challenge could be answered');
  return rest.reduce((best, e) => (failureRank(e) > failureRank(best) ? e : best), first);
}

function invalidOption(key: string, why: string): never {
  throw new DigestError(DigestErrorCode.InvalidOptions, `digest client option ${key}: ${why}`, {
    field: key,
  });
}
