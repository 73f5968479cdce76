import { createPrivateKey } from 'node:crypto';
import { fcmScope as testkitScope, generateServiceAccount, verifyJwt } from '@sipwake/testkit';
import type { ServiceAccount } from '../credentials.js';
import type { H2Origin, H2Request, H2Response } from '../h2-origin.js';
import { createManualClock } from '../test-support/manual-clock.js';
import { createGoogleTokenSource, fcmScope } from './oauth.js';

const generated = generateServiceAccount({ projectId: 'p1' });
const account: ServiceAccount = {
  projectId: 'p1',
  clientEmail: generated.json.client_email,
  tokenUri: generated.json.token_uri,
  privateKeyId: generated.json.private_key_id,
  privateKey: createPrivateKey(generated.json.private_key),
};
const tokenUri = 'https://127.0.0.1:1/oauth/token';

/** A token endpoint that answers from a list and keeps the requests. */
function endpoint(answers: H2Response[]) {
  const requests: H2Request[] = [];
  const pending: ((answer: H2Response) => void)[] = [];
  let held = false;
  const origin: H2Origin = {
    request(request) {
      requests.push(request);
      const answer = answers.shift() ?? { status: 500, headers: {}, body: '' };
      if (!held) return Promise.resolve(answer);
      return new Promise((resolve) => pending.push(() => resolve(answer)));
    },
    connections: () => 1,
    close: () => Promise.resolve(),
  };
  return {
    origin,
    requests,
    hold: () => (held = true),
    release: () => pending.splice(0).forEach((go) => go({ status: 0, headers: {}, body: '' })),
  };
}

const granted = (token: string, expiresIn = 3600): H2Response => ({
  status: 200,
  headers: {},
  body: JSON.stringify({ access_token: token, expires_in: expiresIn, token_type: 'Bearer' }),
});

function source(answers: H2Response[]) {
  const clock = createManualClock();
  const server = endpoint(answers);
  const tokens = createGoogleTokenSource({
    account,
    tokenUri,
    origin: server.origin,
    clock,
    timeoutMs: 1000,
  });
  return { clock, server, tokens };
}

describe('Google access token', () => {
  it('is granted for an RS256 assertion with iss, scope, aud = token URI, iat and exp', async () => {
    const { clock, server, tokens } = source([granted('ya29.a')]);
    expect(await tokens.current()).toBe('ya29.a');
    const request = server.requests[0]!;
    expect(request.path).toBe('/oauth/token');
    const form = new URLSearchParams(String(request.body));
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const checked = verifyJwt(form.get('assertion')!, 'RS256', generated.publicKeyPem);
    const iat = Math.floor(clock.now() / 1000);
    expect(checked).toMatchObject({
      ok: true,
      jwt: {
        header: { kid: generated.json.private_key_id },
        claims: { iss: account.clientEmail, scope: fcmScope, aud: tokenUri, iat, exp: iat + 3600 },
      },
    });
    expect(fcmScope).toBe(testkitScope);
  });

  it('is kept until five minutes before it expires, then granted again', async () => {
    const { clock, server, tokens } = source([granted('ya29.a'), granted('ya29.b')]);
    expect(await tokens.current()).toBe('ya29.a');
    clock.advance(54 * 60_000);
    expect(await tokens.current()).toBe('ya29.a');
    clock.advance(60_000);
    expect(await tokens.current()).toBe('ya29.b');
    expect(server.requests).toHaveLength(2);
    expect(tokens.grants()).toBe(2);
  });

  it('is granted once for callers that ask at the same time', async () => {
    const { server, tokens } = source([granted('ya29.a')]);
    const all = await Promise.all([tokens.current(), tokens.current(), tokens.current()]);
    expect(all).toEqual(['ya29.a', 'ya29.a', 'ya29.a']);
    expect(server.requests).toHaveLength(1);
  });

  it('is dropped once when FCM refuses it', async () => {
    const { tokens } = source([granted('ya29.a'), granted('ya29.b')]);
    const first = await tokens.current();
    tokens.rejected(first);
    expect(await tokens.current()).toBe('ya29.b');
    tokens.rejected(first);
    expect(await tokens.current()).toBe('ya29.b');
  });

  it('a refused grant is PROVIDER_AUTH_FAILED, a 5xx is retryable', async () => {
    const refused = source([
      { status: 400, headers: {}, body: '{"error":"invalid_grant","error_description":"x"}' },
    ]);
    await expect(refused.tokens.current()).rejects.toMatchObject({
      code: 'PROVIDER_AUTH_FAILED',
      reason: 'token endpoint: invalid_grant',
      retryable: false,
    });
    const down = source([{ status: 503, headers: {}, body: '' }]);
    await expect(down.tokens.current()).rejects.toMatchObject({ retryable: true });
  });
});
