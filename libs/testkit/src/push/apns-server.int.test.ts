import { generateApnsKey } from './keys.js';
import { startApnsServer, type ApnsServer } from './apns-server.js';
import { connectTestClient, signJwt, type TestClient } from './test-support/client.js';

const key = generateApnsKey();
const token = 'a'.repeat(64);
const nowS = (): number => Math.floor(Date.now() / 1000);
const providerToken = (iat = nowS(), privateKey = key.privateKeyPem, iss = key.teamId): string =>
  signJwt('ES256', { kid: key.keyId }, { iss, iat }, privateKey);
const alert = JSON.stringify({ aps: { alert: { title: 'hi' } } });

let server: ApnsServer;
let client: TestClient;

beforeAll(async () => {
  server = await startApnsServer({ keys: [key], topics: ['com.example.app'] });
  client = connectTestClient(server.url, server.ca);
});
afterAll(async () => {
  client.close();
  await server.stop();
});
beforeEach(() => server.reset());

function push(headers: Record<string, string>, body = alert, path = `/3/device/${token}`) {
  return client.post(
    path,
    {
      authorization: `bearer ${providerToken()}`,
      'apns-topic': 'com.example.app',
      'apns-push-type': 'alert',
      ...headers,
    },
    body,
  );
}

describe('startApnsServer', () => {
  it('accepts a well-signed alert push, answers an apns-id and records it', async () => {
    const answer = await push({ 'apns-priority': '10', 'apns-collapse-id': 'call-1' });
    expect(answer.status).toBe(200);
    expect(answer.headers['apns-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.pushes()).toEqual([
      expect.objectContaining({ token, status: 200, payload: JSON.parse(alert) }),
    ]);
    expect(server.pushes()[0]?.headers['apns-collapse-id']).toBe('call-1');
  });

  it('refuses a token signed by another key with 403 InvalidProviderToken', async () => {
    const other = generateApnsKey({ keyId: key.keyId, teamId: key.teamId });
    const answer = await push({
      authorization: `bearer ${providerToken(nowS(), other.privateKeyPem)}`,
    });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({ reason: 'InvalidProviderToken' });
  });

  it('refuses a DER-encoded ES256 signature, a wrong team and a missing token', async () => {
    const [head, claims] = providerToken().split('.');
    const { sign } = await import('node:crypto');
    const der = sign('sha256', Buffer.from(`${head}.${claims}`), key.privateKeyPem).toString(
      'base64url',
    );
    expect((await push({ authorization: `bearer ${head}.${claims}.${der}` })).status).toBe(403);
    const wrongTeam = await push({
      authorization: `bearer ${providerToken(nowS(), key.privateKeyPem, 'OTHERTEAM0')}`,
    });
    expect(JSON.parse(wrongTeam.body)).toEqual({ reason: 'InvalidProviderToken' });
    const missing = await push({ authorization: '' });
    expect(JSON.parse(missing.body)).toEqual({ reason: 'MissingProviderToken' });
  });

  it('answers 403 ExpiredProviderToken for a token older than an hour or expired on demand', async () => {
    const old = await push({ authorization: `bearer ${providerToken(nowS() - 3700)}` });
    expect([old.status, JSON.parse(old.body)]).toEqual([403, { reason: 'ExpiredProviderToken' }]);
    const fresh = providerToken();
    expect((await push({ authorization: `bearer ${fresh}` })).status).toBe(200);
    server.expireProviderTokens();
    const again = await push({ authorization: `bearer ${fresh}` });
    expect(JSON.parse(again.body)).toEqual({ reason: 'ExpiredProviderToken' });
  });

  it('checks topic, push type, device token, priority and payload', async () => {
    const reasons = async (headers: Record<string, string>, body?: string, path?: string) =>
      JSON.parse((await push(headers, body, path)).body).reason as string;
    expect(await reasons({ 'apns-topic': '' })).toBe('MissingTopic');
    expect(await reasons({ 'apns-topic': 'com.other.app' })).toBe('TopicDisallowed');
    expect(await reasons({ 'apns-push-type': 'voip' })).toBe('InvalidPushType');
    expect(await reasons({}, alert, '/3/device/xyz')).toBe('BadDeviceToken');
    expect(await reasons({ 'apns-priority': '7' })).toBe('BadPriority');
    expect(await reasons({}, '')).toBe('PayloadEmpty');
    expect(await reasons({}, 'x'.repeat(5000))).toBe('PayloadTooLarge');
    const voip = await push({ 'apns-topic': 'com.example.app.voip', 'apns-push-type': 'voip' });
    expect(voip.status).toBe(200);
  });

  it('gives the answers it is told: per token, next N, with 410 carrying a timestamp', async () => {
    server.answerToken(token, { status: 410, reason: 'Unregistered', timestampMs: 1234 });
    const gone = await push({});
    expect([gone.status, JSON.parse(gone.body)]).toEqual([
      410,
      { reason: 'Unregistered', timestamp: 1234 },
    ]);
    server.answerToken(token, undefined);
    server.answerNext({ status: 429, reason: 'TooManyRequests' }, 2);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await push({})).status);
    expect(statuses).toEqual([429, 429, 200]);
  });

  it('counts sessions and concurrent streams', async () => {
    const before = server.sessions();
    await Promise.all(Array.from({ length: 20 }, () => push({})));
    expect(server.sessions()).toBe(before);
    expect(server.maxConcurrentStreams()).toBeGreaterThan(1);
  });
});
