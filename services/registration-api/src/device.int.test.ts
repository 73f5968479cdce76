// The device-facing call path: "about to answer" over a private nats-server (stopped mid-test
// to see the 503), and the message box over a real PostgreSQL (throw-away database).
import { connectBus, createInProcessBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import { decodeMessage, DeviceEvent, subjects } from '@sipwake/contracts';
import { startNatsServer, withTimeout } from '@sipwake/testkit';
import type { NatsServer } from '@sipwake/testkit';
import { createThrowawayStore } from './test-support/fixtures.js';
import type { ThrowawayStore } from './test-support/fixtures.js';
import { handOverAs, nextOn, startApi } from './test-support/harness.js';
import type { Harness } from './test-support/harness.js';

let store: ThrowawayStore;

beforeAll(async () => {
  store = await createThrowawayStore();
});
afterAll(async () => {
  await store.drop();
});

describe('POST …/calls/:callId/progress', () => {
  let nats: NatsServer;
  let bus: Bus;
  let api: Harness;
  const at = 1_700_000_123_456;

  beforeAll(async () => {
    nats = await startNatsServer({ jetstream: false });
    bus = await connectBus({
      kind: 'nats',
      servers: nats.url,
      name: 'progress-test',
      // Short waits: nats.js does not cancel a pending reconnect wait at close(), so a long one
      // would keep jest alive after the server is gone.
      reconnectTimeWaitMs: 100,
      reconnectJitterMs: 50,
    });
    api = await startApi(store, bus, { clock: { now: () => at } });
  });
  afterAll(async () => {
    await api.app.close();
    await bus.close();
    await nats.stop();
  });

  function progress(selector: string, callId: string, body: unknown, headers = {}) {
    return api.app.inject({
      method: 'POST',
      url: `/v1/instances/${selector}/calls/${encodeURIComponent(callId)}/progress`,
      headers,
      payload: body as object,
    });
  }

  it('publishes about-to-answer on the shard device subject and answers 202', async () => {
    const { selector, auth } = await handOverAs(api.app, 'caller-1');
    await store.db.query(`UPDATE devices SET last_seen_at = now() - interval '1 hour'`);
    const { next } = await nextOn(bus, subjects.shardDevice(selector), (m) =>
      decodeMessage(DeviceEvent, m.data),
    );
    const res = await progress(
      selector,
      'a84b4c76e66710@pc33.example.com',
      { deviceId: 'phone-1' },
      auth,
    );
    expect(res.statusCode).toBe(202);
    await expect(withTimeout(next, 5000, 'the device event')).resolves.toEqual({
      type: 'about-to-answer',
      selector,
      deviceId: 'phone-1',
      callId: 'a84b4c76e66710@pc33.example.com',
      at,
    });
    const { rows } = await store.db.query<{ fresh: boolean }>(
      `SELECT last_seen_at > now() - interval '1 minute' AS fresh FROM devices WHERE selector = $1`,
      [selector],
    );
    expect(rows).toEqual([{ fresh: true }]);
  });

  it('answers 404 for a device the instance does not have, 400 for a bad body, 401 first', async () => {
    const { selector, auth } = await handOverAs(api.app, 'caller-2');
    expect((await progress(selector, 'c1', { deviceId: 'tablet' }, auth)).statusCode).toBe(404);
    const bad = await progress(selector, 'c1', { deviceId: '' }, auth);
    expect(bad.json()).toMatchObject({ error: 'invalid-body', field: '/deviceId' });
    const stranger = await progress(selector, 'c1', { deviceId: '' });
    expect(stranger.statusCode).toBe(401);
    expect(stranger.json()).toEqual({
      error: 'unauthorized',
      message: 'a valid instance token is required',
    });
  });

  it('answers 503 with Retry-After while the bus is down', async () => {
    const { selector, auth } = await handOverAs(api.app, 'caller-3');
    const down = new Promise<void>((resolve) => {
      const off = bus.onStatus((event) => {
        if (event.type === 'disconnected') {
          off();
          resolve();
        }
      });
    });
    await nats.stop();
    await withTimeout(down, 10_000, 'the bus to see the server go');
    const res = await progress(selector, 'c2', { deviceId: 'phone-1' }, auth);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.json()).toEqual({ error: 'bus-unavailable', message: expect.any(String) });
  });
});

describe('messages', () => {
  let bus: Bus;
  let api: Harness;

  beforeAll(async () => {
    bus = createInProcessBus();
    api = await startApi(store, bus);
  });
  afterAll(async () => {
    await api.app.close();
    await bus.close();
  });

  /** Stores a MESSAGE as the agent does; its id. */
  async function storeMessage(
    selector: string,
    body: Buffer,
    contentType: string,
    secondsAgo: number,
  ): Promise<string> {
    const { rows } = await store.db.query<{ id: string }>(
      `INSERT INTO messages (selector, call_id, from_uri, to_uri, content_type, body, received_at)
       VALUES ($1, $5, 'sip:bob@example.com', 'sip:alice@example.com', $2, $3,
               now() - make_interval(secs => $4::int))
       RETURNING id`,
      [selector, contentType, body, secondsAgo, `m-${secondsAgo}`],
    );
    return rows[0]!.id;
  }

  type Listed = { messages: { id: string; text: string | null; body: string }[] };

  it('lists unacknowledged messages oldest first, and never again once acknowledged', async () => {
    const { selector, auth } = await handOverAs(api.app, 'reader-1');
    const other = await handOverAs(api.app, 'reader-2');
    const newest = await storeMessage(selector, Buffer.from('third'), 'text/plain', 10);
    const oldest = await storeMessage(selector, Buffer.from('first ✓'), 'text/plain', 30);
    const binary = await storeMessage(
      selector,
      Buffer.from([0xff, 0, 1]),
      'application/im-iscomposing+xml',
      20,
    );
    const foreign = await storeMessage(other.selector, Buffer.from('not yours'), 'text/plain', 40);

    const list = await api.app.inject({ url: `/v1/instances/${selector}/messages`, headers: auth });
    expect(list.statusCode).toBe(200);
    const { messages } = list.json<Listed>();
    expect(messages.map((m) => m.id)).toEqual([oldest, binary, newest]);
    expect(messages[0]).toMatchObject({
      text: 'first ✓',
      from: 'sip:bob@example.com',
      to: 'sip:alice@example.com',
      contentType: 'text/plain',
      callId: 'm-30',
    });
    expect(messages[1]).toMatchObject({
      text: null,
      body: Buffer.from([0xff, 0, 1]).toString('base64'),
    });
    const limited = await api.app.inject({
      url: `/v1/instances/${selector}/messages?limit=1`,
      headers: auth,
    });
    expect(limited.json<Listed>().messages.map((m) => m.id)).toEqual([oldest]);

    const ack = (ids: string[], headers: Record<string, string> = auth) =>
      api.app.inject({
        method: 'POST',
        url: `/v1/instances/${selector}/messages/ack`,
        headers,
        payload: { ids },
      });
    // Another instance's id is not acknowledged through this one.
    expect((await ack([oldest, binary, foreign])).json()).toEqual({ acknowledged: 2 });
    expect((await ack([oldest, binary])).json()).toEqual({ acknowledged: 0 });
    const after = await api.app.inject({
      url: `/v1/instances/${selector}/messages`,
      headers: auth,
    });
    expect(after.json<Listed>().messages.map((m) => m.id)).toEqual([newest]);
    const theirs = await api.app.inject({
      url: `/v1/instances/${other.selector}/messages`,
      headers: other.auth,
    });
    expect(theirs.json<Listed>().messages.map((m) => m.id)).toEqual([foreign]);
    expect((await ack([newest], other.auth)).statusCode).toBe(401);
  });

  it.each([
    ['GET', 'messages?limit=0', 'limit', 'invalid-query', undefined],
    ['GET', 'messages?limit=500', 'limit', 'invalid-query', undefined],
    ['POST', 'messages/ack', '/ids', 'invalid-body', { ids: [] }],
    ['POST', 'messages/ack', '/ids/0', 'invalid-body', { ids: ['not-a-uuid'] }],
  ])('%s %s refuses a bad request naming %s', async (method, path, field, error, payload) => {
    const { selector, auth } = await handOverAs(api.app, 'reader-3');
    const res = await api.app.inject({
      method: method as 'GET' | 'POST',
      url: `/v1/instances/${selector}/${path}`,
      headers: auth,
      ...(payload === undefined ? {} : { payload }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error, field });
    const stranger = await api.app.inject({
      method: method as 'GET' | 'POST',
      url: `/v1/instances/${selector}/${path}`,
      ...(payload === undefined ? {} : { payload }),
    });
    expect(stranger.statusCode).toBe(401);
  });
});
