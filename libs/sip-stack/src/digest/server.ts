// The UAS / registrar / proxy side of digest authentication: issues challenges and verifies
// credentials against nonces it minted itself (no state per challenge; bounded state per use).
import { timingSafeEqual } from 'node:crypto';
import type { AuthHeader } from '@sipwake/sip-parser';
import { lookupAlgorithm, type AlgorithmInfo, type DigestAlgorithm } from './algorithm.js';
import { computeResponse, computeRspauth, type DigestInput, type DigestQop } from './compute.js';
import { ha1Of, type DigestSecret } from './credentials.js';
import { DigestError, DigestErrorCode } from './errors.js';
import { decodeExtValue, formatDigestHeader, type AuthParam } from './format.js';
import { createNonceCodec } from './nonce.js';
import { createNonceTracker } from './nonce-tracker.js';
import { resolveServerOptions, type DigestServerOptions } from './server-options.js';

export const DigestFailureReason = {
  /** No Digest credentials for this realm: the first request of a client. */
  Missing: 'missing',
  /** Credentials lack a required parameter or carry a bad one (nc, username*). */
  Malformed: 'malformed',
  /** The nonce was not minted by this server (another secret, another realm, or forged). */
  BadNonce: 'bad-nonce',
  UriMismatch: 'uri-mismatch',
  /** An algorithm not offered, or one for which only other hashes' HA1 is stored. */
  BadAlgorithm: 'bad-algorithm',
  /** A qop not offered (or none where one was offered). */
  BadQop: 'bad-qop',
  UnknownUser: 'unknown-user',
  BadResponse: 'bad-response',
  /** A correct response on an expired (or no longer tracked) nonce: challenged with stale=true. */
  Stale: 'stale',
  /** A correct response with an nc not above the highest seen: challenged with stale=true. */
  Replay: 'replay',
} as const;

export type DigestFailureReason = (typeof DigestFailureReason)[keyof typeof DigestFailureReason];

/** What to answer with: the status, and one header field value per algorithm, preferred first. */
export interface DigestChallenge {
  readonly status: 401 | 407;
  readonly header: 'WWW-Authenticate' | 'Proxy-Authenticate';
  readonly values: readonly string[];
}

export interface DigestVerifyRequest {
  readonly method: string;
  /** The Request-URI as received. */
  readonly uri: string;
  readonly body?: Buffer;
  /** The parsed Authorization (or, for a proxy, Proxy-Authorization) header fields. */
  readonly authorization: readonly AuthHeader[];
}

export type DigestVerifyResult =
  | {
      readonly ok: true;
      readonly username: string;
      readonly realm: string;
      readonly algorithm: DigestAlgorithm;
      readonly qop: DigestQop | undefined;
      /** Authentication-Info value (rspauth, RFC 7616 §3.5); undefined without qop. */
      readonly authenticationInfo: string | undefined;
    }
  | {
      readonly ok: false;
      readonly reason: DigestFailureReason;
      readonly challenge: DigestChallenge;
    };

export interface DigestServer {
  /** A fresh challenge; `stale` tells the client to retry without asking its user. */
  challenge(options?: { readonly stale?: boolean }): DigestChallenge;
  /** Verifies credentials. Rejects only with DigestError DIGEST_LOOKUP_FAILED (retryable). */
  verify(request: DigestVerifyRequest): Promise<DigestVerifyResult>;
}

interface Presented {
  readonly params: Readonly<Record<string, string>>;
  readonly algorithm: AlgorithmInfo;
  readonly nonce: string;
  readonly uri: string;
  readonly response: string;
  readonly qop: DigestQop | undefined;
  readonly nc: number | undefined;
}

export function createDigestServer(options: DigestServerOptions): DigestServer {
  const config = resolveServerOptions(options);
  const { clock, lookup, lookupUserhash } = options;
  const codec = createNonceCodec({
    secret: config.secret,
    realm: config.realm,
    ...(options.randomBytes ? { randomBytes: options.randomBytes } : {}),
  });
  const tracker = createNonceTracker({
    maxEntries: config.maxTrackedNonces,
    lifetimeMs: config.nonceLifetimeMs,
  });

  function challenge(stale = false): DigestChallenge {
    const nonce = codec.mint(clock.now());
    // RFC 8760 §2.3: a UAS that supports several algorithms adds one challenge per algorithm,
    // in order of preference (the most preferred first), all with one nonce here.
    const values = config.algorithms.map((algorithm) => {
      const params: AuthParam[] = [
        { name: 'realm', value: config.realm, quoted: true },
        { name: 'nonce', value: nonce, quoted: true },
        { name: 'algorithm', value: algorithm, quoted: false },
      ];
      if (config.qop.length > 0)
        params.push({ name: 'qop', value: config.qop.join(','), quoted: true });
      if (stale) params.push({ name: 'stale', value: 'true', quoted: false });
      if (lookupUserhash) params.push({ name: 'userhash', value: 'true', quoted: false });
      return formatDigestHeader(params);
    });
    return config.proxy
      ? { status: 407, header: 'Proxy-Authenticate', values }
      : { status: 401, header: 'WWW-Authenticate', values };
  }

  function fail(reason: DigestFailureReason, stale = false): DigestVerifyResult {
    return { ok: false, reason, challenge: challenge(stale) };
  }

  /** Checks the credentials' shape against what was offered; a reason when they do not fit. */
  function read(params: Readonly<Record<string, string>>): Presented | DigestFailureReason {
    const { nonce, uri, response } = params;
    if (nonce === undefined || uri === undefined || response === undefined) return 'malformed';
    if (params['username'] === undefined && params['username*'] === undefined) return 'malformed';
    const algorithm = lookupAlgorithm(params['algorithm']);
    if (!algorithm || !config.algorithms.includes(algorithm.name)) return 'bad-algorithm';
    const qop = params['qop']?.toLowerCase();
    if (qop === undefined) {
      // RFC 7616 §3.4: qop's "value MUST be one of the alternatives the server indicated it
      // supports in the WWW-Authenticate header field" (none offered: the RFC 2069 form).
      return config.qop.length === 0
        ? { params, algorithm, nonce, uri, response, qop: undefined, nc: undefined }
        : 'bad-qop';
    }
    if (!(config.qop as readonly string[]).includes(qop)) return 'bad-qop';
    const nc = params['nc'];
    if (nc === undefined || !/^[0-9a-fA-F]{8}$/.test(nc) || params['cnonce'] === undefined)
      return 'malformed';
    return { params, algorithm, nonce, uri, response, qop: qop as DigestQop, nc: parseInt(nc, 16) };
  }

  async function resolveUser(
    params: Readonly<Record<string, string>>,
    algorithm: AlgorithmInfo,
  ): Promise<{ username: string; secret: DigestSecret } | DigestFailureReason> {
    const plain = params['username'];
    const extended = params['username*'];
    try {
      if (params['userhash']?.toLowerCase() === 'true') {
        if (!lookupUserhash || plain === undefined) return 'unknown-user';
        return (
          (await lookupUserhash(plain.toLowerCase(), algorithm.hash, config.realm)) ??
          'unknown-user'
        );
      }
      // RFC 7616 §3.4.4: username* (RFC 8187 encoded) when the name cannot be a quoted-string;
      // "The username and username* parameters MUST NOT be both present".
      if (plain !== undefined && extended !== undefined) return 'malformed';
      const username = plain ?? decodeExtValue(extended ?? '');
      if (username === undefined) return 'malformed';
      const secret = await lookup(username, config.realm);
      return secret ? { username, secret } : 'unknown-user';
    } catch (cause) {
      throw new DigestError(DigestErrorCode.LookupFailed, 'the credential lookup failed', {
        realm: config.realm,
        cause,
      });
    }
  }

  return {
    challenge: (opts) => challenge(opts?.stale ?? false),

    async verify(request) {
      // RFC 3261 §22.4: credentials are matched to the server by their realm.
      const credentials = request.authorization.find(
        (h) => h.scheme.toLowerCase() === 'digest' && h.params['realm'] === config.realm,
      );
      if (!credentials) return fail('missing');
      const presented = read(credentials.params);
      if (typeof presented === 'string') return fail(presented);
      const issuedAt = codec.issuedAt(presented.nonce);
      if (issuedAt === undefined) return fail('bad-nonce');
      // RFC 7616 §3.4.6: the server MUST assure that the resource of the "uri" parameter is the
      // same as the one in the request line (RFC 3261 §22.4: the Request-URI).
      if (config.checkUri && presented.uri !== request.uri) return fail('uri-mismatch');

      const user = await resolveUser(presented.params, presented.algorithm);
      if (typeof user === 'string') return fail(user);
      const ha1 = ha1Of(user.secret, presented.algorithm.hash, user.username, config.realm);
      if (ha1 === undefined) return fail('bad-algorithm');
      const input: DigestInput = {
        algorithm: presented.algorithm,
        ha1,
        nonce: presented.nonce,
        method: request.method,
        uri: presented.uri,
        ...(presented.qop === undefined
          ? {}
          : {
              qop: presented.qop,
              nc: presented.params['nc'] ?? '',
              cnonce: presented.params['cnonce'] ?? '',
            }),
        ...(request.body === undefined ? {} : { body: request.body }),
      };
      if (!sameDigest(computeResponse(input), presented.response)) return fail('bad-response');

      // From here on the response is right: the client knows the secret, so a refusal says
      // stale=true and it retries with the fresh nonce without asking its user (RFC 7616 §3.3).
      const now = clock.now();
      const age = now - issuedAt;
      if (age < 0 || age > config.nonceLifetimeMs) return fail('stale', true);
      // Checked and recorded in one synchronous step after the lookup: two requests racing with
      // one nc cannot both pass.
      const use = tracker.use(presented.nonce, issuedAt, presented.nc, now);
      if (use === 'replay') return fail('replay', true);
      if (use === 'forgotten') return fail('stale', true);

      return {
        ok: true,
        username: user.username,
        realm: config.realm,
        algorithm: presented.algorithm.name,
        qop: presented.qop,
        authenticationInfo: presented.qop === undefined ? undefined : authenticationInfo(input),
      };
    },
  };
}

/** Constant-time comparison of two hex digests (their length is public: it is the algorithm's). */
function sameDigest(expected: string, presented: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(presented.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

/** RFC 7616 §3.5: Authentication-Info: rspauth, qop, nc, cnonce echoing the request's. */
function authenticationInfo(input: DigestInput): string {
  const params: AuthParam[] = [
    { name: 'rspauth', value: computeRspauth(input), quoted: true },
    { name: 'qop', value: input.qop ?? 'auth', quoted: false },
    { name: 'nc', value: input.nc ?? '', quoted: false },
    { name: 'cnonce', value: input.cnonce ?? '', quoted: true },
  ];
  return formatDigestHeader(params).slice('Digest '.length);
}
