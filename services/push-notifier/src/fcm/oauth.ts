// The OAuth2 access token FCM HTTP v1 wants, from a service account by the JWT-bearer grant
// (RFC 7523): an RS256 assertion {iss: client_email, scope, aud: token_uri, iat, exp} POSTed to
// the token URI. The access token is kept until shortly before its `expires_in`; callers that
// ask meanwhile share one grant in flight. A token FCM refuses (401) is dropped once.
import { PushOutcome, PushProvider } from '@sipwake/contracts';
import type { Clock } from '../clock.js';
import type { ServiceAccount } from '../credentials.js';
import { ProviderError, PushErrorCode } from '../errors.js';
import type { H2Origin } from '../h2-origin.js';
import { signJwt } from '../jwt.js';

export const fcmScope = 'https://www.googleapis.com/auth/firebase.messaging';
const grantType = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** The assertion's lifetime: Google accepts at most one hour. */
const assertionLifetimeS = 3600;

export interface GoogleTokenOptions {
  readonly account: ServiceAccount;
  /** Where the grant is POSTed and the assertion's `aud` (the account's token_uri unless overridden). */
  readonly tokenUri: string;
  /** A connection to the token URI's origin. */
  readonly origin: H2Origin;
  readonly clock: Clock;
  readonly timeoutMs: number;
  /** Renew this long before the token's expiry (default 5 min, at most a tenth of its life). */
  readonly renewBeforeMs?: number;
}

export interface GoogleTokenSource {
  current(): Promise<string>;
  rejected(token: string): void;
  /** Grants obtained so far. */
  grants(): number;
}

function authFailed(status: number, reason: string, retryable: boolean): ProviderError {
  return new ProviderError(
    retryable ? PushErrorCode.ProviderUnreachable : PushErrorCode.ProviderAuthFailed,
    {
      provider: PushProvider.Fcm,
      status,
      reason: `token endpoint: ${reason}`,
      outcome: PushOutcome.ProviderError,
      retryable,
    },
  );
}

export function createGoogleTokenSource(options: GoogleTokenOptions): GoogleTokenSource {
  const { account, clock } = options;
  const url = new URL(options.tokenUri);
  let token: { value: string; renewAtMs: number } | undefined;
  let inFlight: Promise<string> | undefined;
  let count = 0;

  const grant = async (): Promise<string> => {
    const iat = Math.floor(clock.now() / 1000);
    const assertion = signJwt(
      'RS256',
      account.privateKeyId === undefined ? {} : { kid: account.privateKeyId },
      {
        iss: account.clientEmail,
        scope: fcmScope,
        aud: options.tokenUri,
        iat,
        exp: iat + assertionLifetimeS,
      },
      account.privateKey,
    );
    const answer = await options.origin.request({
      method: 'POST',
      path: `${url.pathname}${url.search}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: grantType, assertion }).toString(),
      timeoutMs: options.timeoutMs,
    });
    let body: { access_token?: unknown; expires_in?: unknown; error?: unknown } = {};
    try {
      body = JSON.parse(answer.body) as typeof body;
    } catch {
      body = {};
    }
    if (answer.status !== 200) {
      const reason =
        typeof body.error === 'string' ? body.error.slice(0, 64) : `HTTP ${answer.status}`;
      throw authFailed(answer.status, reason, answer.status >= 500 || answer.status === 429);
    }
    const value = body.access_token;
    const expiresInS = body.expires_in;
    if (typeof value !== 'string' || value === '' || typeof expiresInS !== 'number') {
      throw authFailed(answer.status, 'answer without access_token/expires_in', true);
    }
    const lifeMs = Math.max(0, expiresInS * 1000);
    const renewBeforeMs = Math.min(options.renewBeforeMs ?? 5 * 60_000, lifeMs / 10);
    token = { value, renewAtMs: clock.now() + lifeMs - renewBeforeMs };
    count += 1;
    return value;
  };

  return {
    current() {
      if (token !== undefined && clock.now() < token.renewAtMs) return Promise.resolve(token.value);
      inFlight ??= grant().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    rejected(refused) {
      if (token?.value === refused) token = undefined;
    },
    grants: () => count,
  };
}
