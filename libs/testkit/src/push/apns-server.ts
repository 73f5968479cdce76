// A local APNs (the HTTP/2 provider API, token-based auth) for tests and benchmarks: it checks
// what Apple checks — the ES256 provider token (signature, kid, iss, age), the device-token
// path, apns-topic, apns-push-type, priority, expiration, collapse id, the payload — answers
// 200 with an apns-id or Apple's JSON error bodies, and records every push.
import { createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { createAnswerRules, type RandomAnswer } from './answers.js';
import { startH2Server, type H2Answer, type H2Request, type H2ServerStats } from './h2-server.js';
import { verifyJwt } from './jws.js';

/** An answer Apple gives: status and `reason` (410 also carries a `timestamp`). */
export interface ApnsAnswer {
  readonly status: number;
  readonly reason?: string;
  /** For 410: when APNs learned the token is no longer valid (ms since the epoch). */
  readonly timestampMs?: number;
  /** A `retry-after` header, in seconds (APNs sends none; for tests of clients that read it). */
  readonly retryAfterS?: number;
}

export interface ApnsRecordedPush {
  readonly token: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON payload, or undefined when it was not JSON. */
  readonly payload: unknown;
  readonly status: number;
  readonly reason?: string;
  readonly apnsId: string;
}

export interface ApnsServerKey {
  readonly keyId: string;
  readonly teamId: string;
  readonly publicKeyPem: string;
}

export interface ApnsServerOptions {
  /** The signing keys the server accepts (`generateApnsKey()` gives one). */
  readonly keys: readonly ApnsServerKey[];
  /** Bundle ids the keys may push to; a topic outside (its `.voip` suffix removed) is refused. */
  readonly topics?: readonly string[];
  /** Oldest provider token accepted, by its `iat` (APNs: one hour). */
  readonly maxTokenAgeS?: number;
  /** Keep the last this many pushes (default 100,000). */
  readonly maxRecorded?: number;
  /** Called with each push as it is answered (benchmarks time the receipt here). */
  readonly onPush?: (push: ApnsRecordedPush) => void;
}

export interface ApnsServer extends H2ServerStats {
  /** The base URL a client is configured with: `https://127.0.0.1:<port>`. */
  readonly url: string;
  readonly ca: string;
  /** Every push received, in order. */
  pushes(): readonly ApnsRecordedPush[];
  /** Distinct provider tokens (JWTs) that were accepted or refused. */
  providerTokens(): readonly string[];
  /** Every push to `token` gets `answer` (`undefined` clears). */
  answerToken(token: string, answer: ApnsAnswer | undefined): void;
  /** The next `count` valid pushes get `answer`. */
  answerNext(answer: ApnsAnswer, count?: number): void;
  /** Valid pushes get these answers at these ratios (seeded). */
  answerRandomly(rules: readonly RandomAnswer<ApnsAnswer>[], seed?: number): void;
  /** Every provider token seen so far is from now on answered 403 ExpiredProviderToken. */
  expireProviderTokens(): void;
  goAway(): void;
  /** Forgets recorded pushes and rules. */
  reset(): void;
  stop(): Promise<void>;
}

const pushTypes = new Set([
  'alert',
  'background',
  'voip',
  'complication',
  'fileprovider',
  'mdm',
  'location',
  'liveactivity',
  'pushtotalk',
]);
const deviceTokenPattern = /^[0-9a-fA-F]{64,200}$/;

function error(status: number, reason: string, apnsId: string, extra: object = {}): H2Answer {
  return {
    status,
    headers: { 'apns-id': apnsId, 'content-type': 'application/json' },
    body: JSON.stringify({ reason, ...extra }),
  };
}

export async function startApnsServer(options: ApnsServerOptions): Promise<ApnsServer> {
  const maxAgeS = options.maxTokenAgeS ?? 3600;
  const maxRecorded = options.maxRecorded ?? 100_000;
  const keys = new Map<string, { teamId: string; key: KeyObject }>(
    options.keys.map((k) => [k.keyId, { teamId: k.teamId, key: createPublicKey(k.publicKeyPem) }]),
  );
  const topics = options.topics === undefined ? undefined : new Set(options.topics);
  const rules = createAnswerRules<ApnsAnswer>();
  let recorded: ApnsRecordedPush[] = [];
  const seenTokens = new Set<string>();
  const expired = new Set<string>();
  const verified = new Map<string, Readonly<Record<string, unknown>>>();

  /** The provider-token check; a failure answer, or undefined when the token is good. */
  function checkProviderToken(
    authorization: string | undefined,
    apnsId: string,
  ): H2Answer | undefined {
    const match = /^bearer (.+)$/i.exec(authorization ?? '');
    if (match === null) return error(403, 'MissingProviderToken', apnsId);
    const jwt = match[1] as string;
    seenTokens.add(jwt);
    if (expired.has(jwt)) return error(403, 'ExpiredProviderToken', apnsId);
    const headerPart = jwt.split('.')[0];
    let header: Record<string, unknown> = {};
    try {
      header = JSON.parse(Buffer.from(headerPart ?? '', 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
    } catch {
      return error(403, 'InvalidProviderToken', apnsId);
    }
    const key = keys.get(String(header['kid']));
    if (key === undefined) return error(403, 'InvalidProviderToken', apnsId);
    // APNs verifies a provider token once and reuses it for the connection; so does this server.
    let claims = verified.get(jwt);
    if (claims === undefined) {
      const checked = verifyJwt(jwt, 'ES256', key.key);
      if (!checked.ok) return error(403, 'InvalidProviderToken', apnsId);
      claims = checked.jwt.claims;
      verified.set(jwt, claims);
    }
    if (claims['iss'] !== key.teamId) return error(403, 'InvalidProviderToken', apnsId);
    const iat = claims['iat'];
    const nowS = Math.floor(Date.now() / 1000);
    if (typeof iat !== 'number' || iat > nowS + 60)
      return error(403, 'InvalidProviderToken', apnsId);
    if (nowS - iat > maxAgeS) return error(403, 'ExpiredProviderToken', apnsId);
    return undefined;
  }

  function checkHeaders(
    headers: Readonly<Record<string, string>>,
    apnsId: string,
  ): H2Answer | undefined {
    const topic = headers['apns-topic'];
    if (topic === undefined || topic === '') return error(400, 'MissingTopic', apnsId);
    if (topics !== undefined && !topics.has(topic.replace(/\.voip$/, ''))) {
      return error(400, 'TopicDisallowed', apnsId);
    }
    const pushType = headers['apns-push-type'] ?? 'alert';
    if (!pushTypes.has(pushType)) return error(400, 'InvalidPushType', apnsId);
    // A VoIP push goes to the `.voip` topic, and only a VoIP push does.
    if ((pushType === 'voip') !== topic.endsWith('.voip')) {
      return error(400, 'InvalidPushType', apnsId);
    }
    const priority = headers['apns-priority'];
    if (priority !== undefined && !['1', '5', '10'].includes(priority)) {
      return error(400, 'BadPriority', apnsId);
    }
    const expiration = headers['apns-expiration'];
    if (expiration !== undefined && !/^\d{1,12}$/.test(expiration)) {
      return error(400, 'BadExpirationDate', apnsId);
    }
    const collapseId = headers['apns-collapse-id'];
    if (collapseId !== undefined && Buffer.byteLength(collapseId) > 64) {
      return error(400, 'BadCollapseId', apnsId);
    }
    return undefined;
  }

  function parsePayload(
    body: Buffer,
    pushType: string,
    apnsId: string,
  ): { payload?: unknown; answer?: H2Answer } {
    if (body.length === 0) return { answer: error(400, 'PayloadEmpty', apnsId) };
    if (body.length > (pushType === 'voip' ? 5120 : 4096)) {
      return { answer: error(413, 'PayloadTooLarge', apnsId) };
    }
    try {
      const payload: unknown = JSON.parse(body.toString('utf8'));
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
        return { answer: error(400, 'BadPayload', apnsId) };
      }
      return { payload };
    } catch {
      return { answer: error(400, 'BadPayload', apnsId) };
    }
  }

  function ruledAnswer(token: string, apnsId: string): H2Answer | undefined {
    const ruled = rules.pick(token);
    if (ruled === undefined) return undefined;
    if (ruled.status === 200) return { status: 200, headers: { 'apns-id': apnsId } };
    const extra = ruled.status === 410 ? { timestamp: ruled.timestampMs ?? Date.now() } : {};
    const answer = error(ruled.status, ruled.reason ?? 'InternalServerError', apnsId, extra);
    return ruled.retryAfterS === undefined
      ? answer
      : { ...answer, headers: { ...answer.headers, 'retry-after': String(ruled.retryAfterS) } };
  }

  function handle(request: H2Request): H2Answer {
    const apnsId = request.headers['apns-id'] ?? randomUUID();
    if (request.method !== 'POST') return error(405, 'MethodNotAllowed', apnsId);
    const match = /^\/3\/device\/([^/?]*)$/.exec(request.path);
    if (match === null) return error(404, 'BadPath', apnsId);
    const token = match[1] as string;
    const pushType = request.headers['apns-push-type'] ?? 'alert';
    const parsed = parsePayload(request.body, pushType, apnsId);
    const answer = checkProviderToken(request.headers['authorization'], apnsId) ??
      (token === '' ? error(400, 'MissingDeviceToken', apnsId) : undefined) ??
      checkHeaders(request.headers, apnsId) ??
      (deviceTokenPattern.test(token) ? undefined : error(400, 'BadDeviceToken', apnsId)) ??
      parsed.answer ??
      ruledAnswer(token, apnsId) ?? { status: 200, headers: { 'apns-id': apnsId } };
    let reason: string | undefined;
    if (answer.status !== 200 && answer.body !== undefined) {
      reason = (JSON.parse(answer.body) as { reason?: string }).reason;
    }
    if (recorded.length >= maxRecorded) recorded.shift();
    const push: ApnsRecordedPush = {
      token,
      headers: request.headers,
      payload: parsed.payload,
      status: answer.status,
      ...(reason === undefined ? {} : { reason }),
      apnsId,
    };
    recorded.push(push);
    options.onPush?.(push);
    return answer;
  }

  const server = await startH2Server(handle, { maxBodyBytes: 8192 });
  return {
    url: server.url,
    ca: server.ca,
    sessions: server.sessions,
    maxConcurrentStreams: server.maxConcurrentStreams,
    pushes: () => recorded,
    providerTokens: () => [...seenTokens],
    answerToken: (token, answer) => rules.forToken(token, answer),
    answerNext: (answer, count) => rules.next(answer, count),
    answerRandomly: (randomRules, seed) => rules.random(randomRules, seed),
    expireProviderTokens() {
      for (const token of seenTokens) expired.add(token);
    },
    goAway: () => server.goAway(),
    reset() {
      recorded = [];
      rules.clear();
    },
    stop: () => server.close(),
  };
}
