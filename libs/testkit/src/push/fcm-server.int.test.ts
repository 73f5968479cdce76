import { generateServiceAccount } from './keys.js';
import { fcmScope, startFcmServer, type FcmServer } from './fcm-server.js';
import { connectTestClient, signJwt, type TestClient } from './test-support/client.js';

const account = generateServiceAccount({ projectId: 'sipwake-test' });
const nowS = (): number => Math.floor(Date.now() / 1000);

let server: FcmServer;
let client: TestClient;

beforeAll(async () => {
  server = await startFcmServer({
    accounts: [
      {
        clientEmail: account.json.client_email,
        projectId: account.json.project_id,
        publicKeyPem: account.publicKeyPem,
      },
    ],
  });
  client = connectTestClient(server.url, server.ca);
});
afterAll(async () => {
  client.close();
  await server.stop();
});
beforeEach(() => server.reset());

function assertion(claims: Record<string, unknown> = {}, key = account.json.private_key): string {
  const iat = nowS();
  return signJwt(
    'RS256',
    { kid: account.json.private_key_id },
    {
      iss: account.json.client_email,
      scope: fcmScope,
      aud: server.tokenUri,
      iat,
      exp: iat + 3600,
      ...claims,
    },
    key,
  );
}

async function grant(jwt: string) {
  const form = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    assertion: jwt,
  });
  const answer = await client.post(
    '/token',
    { 'content-type': 'application/x-www-form-urlencoded' },
    form.toString(),
  );
  return { status: answer.status, body: JSON.parse(answer.body) as Record<string, unknown> };
}

async function send(accessToken: string, message: object, project = 'sipwake-test') {
  const answer = await client.post(
    `/v1/projects/${project}/messages:send`,
    { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    JSON.stringify({ message }),
  );
  return { status: answer.status, headers: answer.headers, body: JSON.parse(answer.body) };
}

const message = {
  token: 'device-1',
  data: { type: 'call' },
  android: { priority: 'HIGH', ttl: '30s' },
};

describe('startFcmServer', () => {
  it('grants an access token for a good assertion, and sends with it', async () => {
    const granted = await grant(assertion());
    expect(granted).toEqual({
      status: 200,
      body: {
        access_token: expect.stringMatching(/^ya29\./),
        expires_in: 3599,
        token_type: 'Bearer',
      },
    });
    const sent = await send(granted.body['access_token'] as string, message);
    expect(sent.status).toBe(200);
    expect(sent.body.name).toMatch(/^projects\/sipwake-test\/messages\//);
    expect(server.messages()).toEqual([
      expect.objectContaining({ token: 'device-1', status: 200, message }),
    ]);
  });

  it('refuses an assertion signed by another key, for another audience or scope', async () => {
    const other = generateServiceAccount();
    expect((await grant(assertion({}, other.json.private_key))).body).toMatchObject({
      error: 'invalid_grant',
    });
    expect((await grant(assertion({ aud: 'https://elsewhere/token' }))).body).toMatchObject({
      error: 'invalid_grant',
    });
    expect((await grant(assertion({ exp: nowS() + 7200 }))).body).toMatchObject({
      error: 'invalid_grant',
    });
    expect((await grant(assertion({ scope: 'email' }))).body).toMatchObject({
      error: 'invalid_scope',
    });
    expect(server.grants()).toBe(1);
  });

  it('answers 401 UNAUTHENTICATED for a revoked or unknown token, 403 for another project', async () => {
    const accessToken = (await grant(assertion())).body['access_token'] as string;
    expect(
      (await send(accessToken, message, 'other-project')).body.error.details[0].errorCode,
    ).toBe('SENDER_ID_MISMATCH');
    server.revokeAccessTokens();
    const refused = await send(accessToken, message);
    expect([refused.status, refused.body.error.status]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await send('ya29.unknown', message)).status).toBe(401);
  });

  it('refuses a message with non-string data or without a token as INVALID_ARGUMENT', async () => {
    const accessToken = (await grant(assertion())).body['access_token'] as string;
    const bad = await send(accessToken, { token: 'x', data: { n: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toEqual({
      '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError',
      errorCode: 'INVALID_ARGUMENT',
    });
    expect((await send(accessToken, { data: {} })).status).toBe(400);
  });

  it('gives Google error bodies when told: UNREGISTERED, QUOTA_EXCEEDED with Retry-After', async () => {
    const accessToken = (await grant(assertion())).body['access_token'] as string;
    server.answerToken('gone', { status: 404, errorCode: 'UNREGISTERED' });
    const gone = await send(accessToken, { ...message, token: 'gone' });
    expect(gone.body).toEqual({
      error: {
        code: 404,
        message: 'Requested entity was not found.',
        status: 'NOT_FOUND',
        details: [
          {
            '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError',
            errorCode: 'UNREGISTERED',
          },
        ],
      },
    });
    server.answerNext({ status: 429, errorCode: 'QUOTA_EXCEEDED', retryAfterS: 7 });
    const throttled = await send(accessToken, message);
    expect([throttled.status, throttled.headers['retry-after']]).toEqual([429, '7']);
    expect((await send(accessToken, message)).status).toBe(200);
  });
});
