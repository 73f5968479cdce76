// A local FCM HTTP v1 for tests and benchmarks: Google's OAuth2 token endpoint (JWT-bearer
// grant: the RS256 assertion verified against the service account's key, its iss, aud, scope
// and lifetime) and `messages:send` (bearer token, project id, message shape), answering with
// Google's JSON error bodies (`details[].errorCode`) and recording every request. HTTP/2 and
// HTTP/1.1 over TLS, as Google serves both.
import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { createAnswerRules, type RandomAnswer } from './answers.js';
import { startH2Server, type H2Answer, type H2Request, type H2ServerStats } from './h2-server.js';
import { verifyJwt } from './jws.js';

export const fcmScope = 'https://www.googleapis.com/auth/firebase.messaging';
const jwtBearer = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** An FCM error answer: the HTTP status and the FcmError `errorCode` in its details. */
export interface FcmAnswer {
  readonly status: number;
  /** UNREGISTERED, INVALID_ARGUMENT, QUOTA_EXCEEDED, UNAVAILABLE, INTERNAL, SENDER_ID_MISMATCH… */
  readonly errorCode?: string;
  readonly retryAfterS?: number;
}

export interface FcmRecordedMessage {
  readonly projectId: string;
  readonly token: string | undefined;
  /** The request's `message` object. */
  readonly message: unknown;
  readonly status: number;
  readonly errorCode?: string;
}

export interface FcmServerAccount {
  readonly clientEmail: string;
  readonly projectId: string;
  readonly publicKeyPem: string;
}

export interface FcmServerOptions {
  readonly accounts: readonly FcmServerAccount[];
  /** `expires_in` of the access tokens handed out (Google: 3599). */
  readonly accessTokenTtlS?: number;
  readonly maxRecorded?: number;
}

export interface FcmServer extends H2ServerStats {
  /** The base URL of `messages:send` (`https://127.0.0.1:<port>`). */
  readonly url: string;
  /** The OAuth2 token endpoint (`<url>/token`), the assertion's `aud`. */
  readonly tokenUri: string;
  readonly ca: string;
  messages(): readonly FcmRecordedMessage[];
  /** Access tokens handed out so far. */
  grants(): number;
  answerToken(token: string, answer: FcmAnswer | undefined): void;
  answerNext(answer: FcmAnswer, count?: number): void;
  answerRandomly(rules: readonly RandomAnswer<FcmAnswer>[], seed?: number): void;
  /** Every access token handed out so far is from now on answered 401 UNAUTHENTICATED. */
  revokeAccessTokens(): void;
  goAway(): void;
  reset(): void;
  stop(): Promise<void>;
}

const statusText: Readonly<Record<number, [string, string]>> = {
  400: ['INVALID_ARGUMENT', 'Request contains an invalid argument.'],
  401: [
    'UNAUTHENTICATED',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  ],
  403: ['PERMISSION_DENIED', 'SenderId mismatch'],
  404: ['NOT_FOUND', 'Requested entity was not found.'],
  429: ['RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric.'],
  500: ['INTERNAL', 'Internal error encountered.'],
  503: ['UNAVAILABLE', 'The service is currently unavailable.'],
};

/** Google's error body: `{"error":{"code","message","status","details":[FcmError…]}}`. */
export function fcmErrorBody(status: number, errorCode?: string, field = 'message.token'): string {
  const [text, message] = statusText[status] ?? ['UNKNOWN', 'Unknown error.'];
  const details =
    errorCode === undefined
      ? []
      : [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }];
  if (errorCode === 'INVALID_ARGUMENT') {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.BadRequest',
      fieldViolations: [
        {
          field,
          description: field === 'message.token' ? 'Invalid registration token' : 'Invalid value',
        },
      ],
    } as never);
  }
  return JSON.stringify({ error: { code: status, message, status: text, details } });
}

function json(status: number, value: object, headers: Record<string, string> = {}): H2Answer {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=UTF-8', ...headers },
    body: JSON.stringify(value),
  };
}

function fcmError(
  status: number,
  errorCode?: string,
  retryAfterS?: number,
  field?: string,
): H2Answer {
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      ...(retryAfterS === undefined ? {} : { 'retry-after': String(retryAfterS) }),
    },
    body: fcmErrorBody(status, errorCode, field),
  };
}

export async function startFcmServer(options: FcmServerOptions): Promise<FcmServer> {
  const ttlS = options.accessTokenTtlS ?? 3599;
  const maxRecorded = options.maxRecorded ?? 100_000;
  const accounts = new Map<string, { projectId: string; key: KeyObject }>(
    options.accounts.map((a) => [
      a.clientEmail,
      { projectId: a.projectId, key: createPublicKey(a.publicKeyPem) },
    ]),
  );
  /** access token → project id and expiry (ms). */
  const tokens = new Map<string, { projectId: string; expiresAtMs: number }>();
  const revoked = new Set<string>();
  const rules = createAnswerRules<FcmAnswer>();
  let recorded: FcmRecordedMessage[] = [];
  let grantCount = 0;
  let tokenUri = '';

  function grant(request: H2Request): H2Answer {
    const form = new URLSearchParams(request.body.toString('utf8'));
    if (form.get('grant_type') !== jwtBearer) {
      return json(400, {
        error: 'unsupported_grant_type',
        error_description: 'Invalid grant_type',
      });
    }
    const assertion = form.get('assertion') ?? '';
    const invalid = (why: string): H2Answer =>
      json(400, { error: 'invalid_grant', error_description: why });
    let iss: unknown;
    try {
      const claims = JSON.parse(
        Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8'),
      ) as Record<string, unknown>;
      iss = claims['iss'];
    } catch {
      return invalid('Invalid JWT: not a JWT');
    }
    const account = accounts.get(String(iss));
    if (account === undefined) return invalid('Invalid JWT Signature.');
    const checked = verifyJwt(assertion, 'RS256', account.key);
    if (!checked.ok) return invalid('Invalid JWT Signature.');
    const { claims } = checked.jwt;
    if (claims['aud'] !== tokenUri) return invalid('Invalid JWT: Failed audience check.');
    const nowS = Math.floor(Date.now() / 1000);
    const iat = claims['iat'];
    const exp = claims['exp'];
    if (
      typeof iat !== 'number' ||
      typeof exp !== 'number' ||
      exp - iat > 3600 ||
      exp < nowS ||
      iat > nowS + 300
    ) {
      return invalid(
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
      );
    }
    const scopes = String(claims['scope'] ?? '').split(' ');
    if (!scopes.includes(fcmScope)) {
      return json(400, { error: 'invalid_scope', error_description: 'Invalid OAuth scope.' });
    }
    const accessToken = `ya29.${randomBytes(24).toString('base64url')}`;
    tokens.set(accessToken, {
      projectId: account.projectId,
      expiresAtMs: Date.now() + ttlS * 1000,
    });
    grantCount += 1;
    return json(200, { access_token: accessToken, expires_in: ttlS, token_type: 'Bearer' });
  }

  function send(request: H2Request, projectId: string): H2Answer {
    const record = (
      status: number,
      token: string | undefined,
      message: unknown,
      errorCode?: string,
    ): void => {
      if (recorded.length >= maxRecorded) recorded.shift();
      recorded.push({
        projectId,
        token,
        message,
        status,
        ...(errorCode === undefined ? {} : { errorCode }),
      });
    };
    const bearer = /^Bearer (.+)$/i.exec(request.headers['authorization'] ?? '')?.[1];
    const access = bearer === undefined ? undefined : tokens.get(bearer);
    if (access === undefined || revoked.has(bearer as string) || access.expiresAtMs < Date.now()) {
      record(401, undefined, undefined);
      return fcmError(401);
    }
    if (access.projectId !== projectId) {
      record(403, undefined, undefined, 'SENDER_ID_MISMATCH');
      return fcmError(403, 'SENDER_ID_MISMATCH');
    }
    let message: Record<string, unknown> | undefined;
    try {
      const body = JSON.parse(request.body.toString('utf8')) as { message?: unknown };
      if (typeof body.message === 'object' && body.message !== null) {
        message = body.message as Record<string, unknown>;
      }
    } catch {
      message = undefined;
    }
    const token = typeof message?.['token'] === 'string' ? (message['token'] as string) : undefined;
    const data = message?.['data'];
    const dataOk =
      data === undefined ||
      (typeof data === 'object' &&
        data !== null &&
        Object.values(data).every((v) => typeof v === 'string'));
    const android = message?.['android'] as { priority?: unknown; ttl?: unknown } | undefined;
    const androidOk =
      android === undefined ||
      ((android.priority === undefined || ['HIGH', 'NORMAL'].includes(String(android.priority))) &&
        (android.ttl === undefined || /^\d+(\.\d+)?s$/.test(String(android.ttl))));
    if (message === undefined || token === undefined || token === '' || !dataOk || !androidOk) {
      // The field at fault, as Google names it: the token only when it is missing.
      const field = token === undefined || token === '' ? 'message.token' : 'message';
      record(400, token, message, 'INVALID_ARGUMENT');
      return fcmError(400, 'INVALID_ARGUMENT', undefined, field);
    }
    const ruled = rules.pick(token);
    if (ruled !== undefined && ruled.status !== 200) {
      record(ruled.status, token, message, ruled.errorCode);
      return fcmError(ruled.status, ruled.errorCode, ruled.retryAfterS);
    }
    record(200, token, message);
    return json(200, { name: `projects/${projectId}/messages/${randomBytes(8).toString('hex')}` });
  }

  function handle(request: H2Request): H2Answer {
    if (request.method === 'POST' && request.path === '/token') return grant(request);
    const match = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(request.path);
    if (request.method === 'POST' && match !== null) return send(request, match[1] as string);
    return fcmError(404);
  }

  const server = await startH2Server(handle, { allowHttp1: true });
  tokenUri = `${server.url}/token`;
  return {
    url: server.url,
    tokenUri,
    ca: server.ca,
    sessions: server.sessions,
    maxConcurrentStreams: server.maxConcurrentStreams,
    messages: () => recorded,
    grants: () => grantCount,
    answerToken: (token, answer) => rules.forToken(token, answer),
    answerNext: (answer, count) => rules.next(answer, count),
    answerRandomly: (randomRules, seed) => rules.random(randomRules, seed),
    revokeAccessTokens() {
      for (const token of tokens.keys()) revoked.add(token);
    },
    goAway: () => server.goAway(),
    reset() {
      recorded = [];
      rules.clear();
    },
    stop: () => server.close(),
  };
}
