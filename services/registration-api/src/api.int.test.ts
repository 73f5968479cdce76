// registration-api against a real PostgreSQL (throw-away database) and the in-process bus.
import { createInProcessBus } from '@sipwake/bus';
import type { Bus, BusMessage } from '@sipwake/bus';
import {
  computeSelector,
  decodeMessage,
  DeviceEvent,
  InstanceChange,
  sipHostFor,
  subjects,
} from '@sipwake/contracts';
import { instancePasswordAad, openSecret } from '@sipwake/secrets';
import type { KeyRing } from '@sipwake/secrets';
import type { FastifyInstance } from 'fastify';
import { buildApi } from './api.js';
import { hashToken } from './token.js';
import {
  createThrowawayStore,
  handOverBody,
  PASSWORD,
  recordingLog,
  testKeyRing,
} from './test-support/fixtures.js';
import type { LooseBody, RecordingLog, ThrowawayStore } from './test-support/fixtures.js';

const settings = { sipDomain: 'sip.example.net', hostPrefixLength: 1, rateLimitPerMinute: 10_000 };
const aliceSelector = computeSelector({
  authUsername: 'alice',
  username: 'alice',
  domain: 'example.com',
});

let store: ThrowawayStore;
let bus: Bus;
let keyRing: KeyRing;
let log: RecordingLog;
let app: FastifyInstance;

beforeAll(async () => {
  store = await createThrowawayStore();
});
afterAll(async () => {
  await store.drop();
});
beforeEach(async () => {
  await store.db.exec('DELETE FROM instances');
  bus = createInProcessBus();
  keyRing = testKeyRing();
  log = recordingLog();
  app = await buildApi({ db: store.db, bus, keyRing, log, config: settings });
});
afterEach(async () => {
  await app.close();
  await bus.close();
});

/** The next message on `subject`, decoded. */
function nextOn<T>(subject: string, decode: (m: BusMessage) => T): Promise<T> {
  return new Promise((resolve) => {
    const sub = bus.subscribe(subject, (message) => {
      sub.unsubscribe();
      resolve(decode(message));
    });
  });
}

async function handOver(body: object = handOverBody()) {
  return app.inject({ method: 'POST', url: '/v1/instances', payload: body });
}

describe('POST /v1/instances', () => {
  it('stores the instance sealed, answers 201 and announces it on the shard subject', async () => {
    const announced = nextOn(subjects.shardInstance(aliceSelector), (m) =>
      decodeMessage(InstanceChange, m.data),
    );
    const res = await handOver();
    expect(res.statusCode).toBe(201);
    const body = res.json<Record<string, string>>();
    expect(body).toEqual({
      selector: aliceSelector,
      instanceToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      sipHost: sipHostFor(aliceSelector, 1, 'sip.example.net'),
      state: 'registering',
    });
    expect(body.sipHost).toBe(`s-${aliceSelector[0]}.sip.example.net`);
    await expect(announced).resolves.toEqual({
      change: 'created',
      selector: aliceSelector,
      version: 1,
    });

    const { rows } = await store.db.query<Record<string, unknown>>(
      'SELECT * FROM instances WHERE selector = $1',
      [aliceSelector],
    );
    expect(rows).toHaveLength(1);
    const row = rows[0] as Record<string, unknown>;
    expect(row).toMatchObject({
      username: 'alice',
      auth_username: 'alice',
      domain: 'Example.COM',
      transport: 'tcp',
      requested_expires_s: 600,
      mode: 'takeover',
      password_key_id: 'k1',
      token_hash: hashToken(body.instanceToken as string),
    });
    // No column holds the password's bytes; the sealed one opens only with its selector's AAD.
    const dump = Buffer.concat(
      Object.values(row).map((v) =>
        v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(String(v), 'utf8'),
      ),
    );
    expect(dump.includes(Buffer.from(PASSWORD, 'utf8'))).toBe(false);
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
    const sealed = row.password_ciphertext as Uint8Array;
    expect(openSecret(keyRing, sealed, { aad: instancePasswordAad(aliceSelector) })).toBe(PASSWORD);
    const devices = await store.db.query('SELECT * FROM devices WHERE selector = $1', [
      aliceSelector,
    ]);
    expect(devices.rows).toEqual([
      expect.objectContaining({
        device_id: 'phone-1',
        push_provider: 'apns',
        push_token: 'a1b2c3d4',
        voip_token: 'voip-e5f6',
        topic: 'com.example.phone.voip',
        presence: 'background',
      }),
    ]);
    expect(log.lines.join('\n')).not.toContain(PASSWORD);
    expect(res.body).not.toContain(PASSWORD);
  });

  it('uses the auth username in the selector when one is given', async () => {
    const body = handOverBody();
    const res = await handOver({ ...body, account: { ...body.account, authUsername: 'a-42' } });
    expect(res.json<{ selector: string }>().selector).toBe(
      computeSelector({ authUsername: 'a-42', username: 'alice', domain: 'example.com' }),
    );
  });

  it.each([
    ['a missing domain', (b: LooseBody) => delete b.account.domain, '/account/domain'],
    ['an empty username', (b: LooseBody) => (b.account.username = ''), '/account/username'],
    [
      'a bad push provider',
      (b: LooseBody) => ((b.device as Record<string, unknown>).pushProvider = 'x'),
      '/device/pushProvider',
    ],
    ['a bad registrar', (b: LooseBody) => (b.account.registrar = 'http://x'), '/account/registrar'],
    ['a bad mode', (b: LooseBody) => (b.mode = 'never'), '/mode'],
    ['a missing device', (b: LooseBody) => delete b.device, '/device'],
  ])('refuses %s with 400 naming the field', async (_name, spoil, field) => {
    const body = handOverBody() as LooseBody;
    spoil(body);
    const res = await handOver(body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid-body', field, message: expect.any(String) });
    expect(res.body).not.toContain(PASSWORD);
    const { rows } = await store.db.query('SELECT 1 FROM instances');
    expect(rows).toHaveLength(0);
  });

  it('refuses a password that is too long without echoing it', async () => {
    const body = handOverBody() as LooseBody;
    const secret = `secret-${'x'.repeat(1100)}`;
    body.account.password = secret;
    const res = await handOver(body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: '/account/password' });
    expect(res.body).not.toContain('secret-');
    expect(log.lines.join('\n')).not.toContain('secret-');
  });

  it('refuses a body that is not JSON with 400', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/instances',
      headers: { 'content-type': 'application/json' },
      payload: '{"account":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid-body' });
  });

  it('is idempotent: a re-post updates the same rows and replaces the token', async () => {
    const first = (await handOver()).json<{ instanceToken: string }>();
    const announced = nextOn(subjects.shardInstance(aliceSelector), (m) =>
      decodeMessage(InstanceChange, m.data),
    );
    const body = handOverBody();
    const again = await handOver({
      ...body,
      mode: 'always',
      account: { ...body.account, expiresSeconds: 900 },
    });
    expect(again.statusCode).toBe(201);
    const second = again.json<{ instanceToken: string; selector: string }>();
    expect(second.selector).toBe(aliceSelector);
    expect(second.instanceToken).not.toBe(first.instanceToken);
    await expect(announced).resolves.toEqual({
      change: 'changed',
      selector: aliceSelector,
      version: 2,
    });
    const { rows } = await store.db.query<{ mode: string; requested_expires_s: number }>(
      'SELECT mode, requested_expires_s FROM instances',
    );
    expect(rows).toEqual([{ mode: 'always', requested_expires_s: 900 }]);
    const devices = await store.db.query('SELECT device_id FROM devices');
    expect(devices.rows).toHaveLength(1);
    // The old token no longer opens the instance; the new one does.
    const old = await get(aliceSelector, first.instanceToken);
    expect(old.statusCode).toBe(401);
    expect((await get(aliceSelector, second.instanceToken)).statusCode).toBe(200);
  });

  it('still answers 201 when the bus is closed (the shard reads the row when it loads)', async () => {
    await bus.close();
    const res = await handOver();
    expect(res.statusCode).toBe(201);
    const { rows } = await store.db.query('SELECT selector FROM instances');
    expect(rows).toEqual([{ selector: aliceSelector }]);
    expect(log.lines.some((l) => l.startsWith('warn') && l.includes('not announced'))).toBe(true);
  });
});

function get(selector: string, token?: string) {
  return app.inject({
    method: 'GET',
    url: `/v1/instances/${selector}`,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

describe('GET /v1/instances/:selector', () => {
  it('answers the instance to its token holder, without password or tokens', async () => {
    const { instanceToken } = (await handOver()).json<{ instanceToken: string }>();
    const res = await get(aliceSelector, instanceToken);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      selector: aliceSelector,
      account: {
        username: 'alice',
        authUsername: 'alice',
        domain: 'Example.COM',
        transport: 'tcp',
      },
      mode: 'takeover',
      state: 'registering',
      version: 1,
      devices: [{ id: 'phone-1', pushProvider: 'apns', presence: 'background' }],
    });
    expect(res.body).not.toContain(PASSWORD);
    expect(res.body).not.toContain(instanceToken);
    expect(res.body).not.toContain('a1b2c3d4');
  });

  it("answers the agent's registration status as the state once one was checkpointed", async () => {
    const { instanceToken } = (await handOver()).json<{ instanceToken: string }>();
    await store.db.query(
      `INSERT INTO registrations (selector, status, shard, version) VALUES ($1, 'idle', 'main', 1)`,
      [aliceSelector],
    );
    expect((await get(aliceSelector, instanceToken)).json()).toMatchObject({ state: 'idle' });
    await store.db.query(
      `UPDATE registrations SET status = 'registered', version = 2 WHERE selector = $1`,
      [aliceSelector],
    );
    expect((await get(aliceSelector, instanceToken)).json()).toMatchObject({
      state: 'registered',
    });
  });

  it('answers 401 with one body for a missing, wrong or foreign token and an unknown selector', async () => {
    const { instanceToken } = (await handOver()).json<{ instanceToken: string }>();
    const bob = (await handOver(handOverBody({ username: 'bob' }))).json<{
      instanceToken: string;
    }>();
    const unknown = 'f'.repeat(40);
    const answers = [
      await get(aliceSelector),
      await get(aliceSelector, 'A'.repeat(43)),
      await get(aliceSelector, bob.instanceToken),
      await get(aliceSelector, 'not-a-token'),
      await get(unknown, instanceToken),
      await get(unknown),
      await get('not-a-selector', instanceToken),
    ];
    for (const res of answers) {
      expect(res.statusCode).toBe(401);
      expect(res.body).toBe(answers[0]?.body);
    }
    expect(answers[0]?.json()).toEqual({
      error: 'unauthorized',
      message: 'a valid instance token is required',
    });
  });
});

describe('DELETE /v1/instances/:selector', () => {
  it('removes the instance and its devices, and announces the removal', async () => {
    const { instanceToken } = (await handOver()).json<{ instanceToken: string }>();
    const unauthorized = await app.inject({
      method: 'DELETE',
      url: `/v1/instances/${aliceSelector}`,
    });
    expect(unauthorized.statusCode).toBe(401);
    const announced = nextOn(subjects.shardInstance(aliceSelector), (m) =>
      decodeMessage(InstanceChange, m.data),
    );
    const res = await app.inject({
      method: 'DELETE',
      url: `/v1/instances/${aliceSelector}`,
      headers: { authorization: `Bearer ${instanceToken}` },
    });
    expect(res.statusCode).toBe(204);
    await expect(announced).resolves.toEqual({
      change: 'removed',
      selector: aliceSelector,
      version: 2,
    });
    expect((await store.db.query('SELECT 1 FROM instances')).rows).toHaveLength(0);
    expect((await store.db.query('SELECT 1 FROM devices')).rows).toHaveLength(0);
    expect((await get(aliceSelector, instanceToken)).statusCode).toBe(401);
  });
});

describe('POST …/devices/:deviceId/presence', () => {
  it('records the presence, renews last seen and publishes the device event', async () => {
    const clock = { now: () => 1_700_000_000_000 };
    await app.close();
    app = await buildApi({ db: store.db, bus, keyRing, log, config: settings, clock });
    const { instanceToken } = (await handOver()).json<{ instanceToken: string }>();
    await store.db.query("UPDATE devices SET last_seen_at = now() - interval '1 hour'");
    const event = nextOn(subjects.shardDevice(aliceSelector), (m) =>
      decodeMessage(DeviceEvent, m.data),
    );
    const res = await app.inject({
      method: 'POST',
      url: `/v1/instances/${aliceSelector}/devices/phone-1/presence`,
      headers: { authorization: `Bearer ${instanceToken}` },
      payload: { presence: 'foreground' },
    });
    expect(res.statusCode).toBe(204);
    await expect(event).resolves.toEqual({
      type: 'presence',
      selector: aliceSelector,
      deviceId: 'phone-1',
      presence: 'foreground',
      at: 1_700_000_000_000,
    });
    const { rows } = await store.db.query<{ presence: string; fresh: boolean }>(
      "SELECT presence, last_seen_at > now() - interval '1 minute' AS fresh FROM devices",
    );
    expect(rows).toEqual([{ presence: 'foreground', fresh: true }]);
    const other = await app.inject({
      method: 'POST',
      url: `/v1/instances/${aliceSelector}/devices/tablet/presence`,
      headers: { authorization: `Bearer ${instanceToken}` },
      payload: { presence: 'background' },
    });
    expect(other.statusCode).toBe(404);
  });
});

describe('health, readiness, docs and rate limit', () => {
  it('/healthz is up and /readyz ready while the database and bus answer', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'up' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
  });

  it('/readyz answers 503 when the bus is closed', async () => {
    await bus.close();
    const res = await app.inject('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'bus-unavailable' });
  });

  it('serves the OpenAPI document with the hand-over', async () => {
    const res = await app.inject('/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/instances', '/v1/instances/{selector}']),
    );
  });

  it('limits requests per client address', async () => {
    await app.close();
    app = await buildApi({
      db: store.db,
      bus,
      keyRing,
      log,
      config: { ...settings, rateLimitPerMinute: 2 },
    });
    const codes: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      codes.push((await get(aliceSelector)).statusCode);
    }
    expect(codes).toEqual([401, 401, 429]);
    const limited = await get(aliceSelector);
    expect(limited.json()).toMatchObject({ error: 'rate-limited' });
  });
});

describe('PUT and DELETE …/devices/:deviceId', () => {
  it('adds, replaces and removes a device, announcing each change', async () => {
    const { instanceToken } = (await handOver()).json<{ instanceToken: string }>();
    const auth = { authorization: `Bearer ${instanceToken}` };
    const tablet = {
      appId: 'com.example.phone',
      platform: 'android',
      pushProvider: 'fcm',
      token: 'fcm-token-1',
    };
    const changes: InstanceChange[] = [];
    bus.subscribe(subjects.shardInstance(aliceSelector), (m) => {
      changes.push(decodeMessage(InstanceChange, m.data));
    });
    const put = await app.inject({
      method: 'PUT',
      url: `/v1/instances/${aliceSelector}/devices/tablet`,
      headers: auth,
      payload: tablet,
    });
    expect(put.statusCode).toBe(204);
    const again = await app.inject({
      method: 'PUT',
      url: `/v1/instances/${aliceSelector}/devices/tablet`,
      headers: auth,
      payload: { ...tablet, token: 'fcm-token-2' },
    });
    expect(again.statusCode).toBe(204);
    const { rows } = await store.db.query<{ device_id: string; push_token: string }>(
      'SELECT device_id, push_token FROM devices ORDER BY device_id',
    );
    expect(rows).toEqual([
      { device_id: 'phone-1', push_token: 'a1b2c3d4' },
      { device_id: 'tablet', push_token: 'fcm-token-2' },
    ]);
    const bad = await app.inject({
      method: 'PUT',
      url: `/v1/instances/${aliceSelector}/devices/tablet`,
      headers: auth,
      payload: { ...tablet, pushProvider: 'x' },
    });
    expect(bad.json()).toMatchObject({ error: 'invalid-body', field: '/pushProvider' });
    const foreign = await app.inject({
      method: 'PUT',
      url: `/v1/instances/${aliceSelector}/devices/tablet`,
      payload: tablet,
    });
    expect(foreign.statusCode).toBe(401);

    const del = await app.inject({
      method: 'DELETE',
      url: `/v1/instances/${aliceSelector}/devices/phone-1`,
      headers: auth,
    });
    expect(del.statusCode).toBe(204);
    const missing = await app.inject({
      method: 'DELETE',
      url: `/v1/instances/${aliceSelector}/devices/phone-1`,
      headers: auth,
    });
    expect(missing.statusCode).toBe(404);
    expect((await store.db.query('SELECT device_id FROM devices')).rows).toEqual([
      { device_id: 'tablet' },
    ]);
    await bus.flush();
    expect(changes).toEqual([
      { change: 'changed', selector: aliceSelector, version: 2 },
      { change: 'changed', selector: aliceSelector, version: 3 },
      { change: 'changed', selector: aliceSelector, version: 4 },
    ]);
  });
});
