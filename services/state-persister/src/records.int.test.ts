// The record writes a registrar-agent needs, on a private nats-server and a throw-away database:
// answered after commit, idempotent by the sender's id, `gone` when what they name is not stored,
// refused whole when invalid, and a dead token carried by the next load until a new one arrives.
import { randomUUID } from 'node:crypto';
import { connectBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import { subjects } from '@sipwake/contracts';
import type { Database } from '@sipwake/db';
import { DbError, DbErrorCode } from '@sipwake/db';
import { startNatsServer } from '@sipwake/testkit';
import type { NatsServer } from '@sipwake/testkit';
import { createStatePersister } from './persister.js';
import {
  createThrowawayStore,
  requestLoad,
  seedDevice,
  seedInstances,
  selectorStartingWith,
  sendRecord,
  silentLog,
} from './test-support/store.js';
import type { ThrowawayStore } from './test-support/store.js';
import type { StatePersister } from './types.js';

let nats: NatsServer;
let store: ThrowawayStore;
let agent: Bus;
let persisterBus: Bus;
let persister: StatePersister;
const extraBuses: Bus[] = [];

beforeAll(async () => {
  [nats, store] = await Promise.all([startNatsServer({}), createThrowawayStore()]);
  agent = await connectBus({ kind: 'nats', servers: nats.url, name: 'agent' });
  persisterBus = await connectBus({ kind: 'nats', servers: nats.url, name: 'persister' });
  persister = createStatePersister({ bus: persisterBus, db: store.db, log: silentLog });
  persister.start();
  await persisterBus.flush();
}, 60_000);

afterAll(async () => {
  await persister?.stop();
  for (const b of [agent, persisterBus, ...extraBuses]) await b?.close();
  await store?.drop();
  await nats?.stop();
}, 60_000);

const BODY = Buffer.from('hello, are you there? ☎');

function message(selector: string, id = randomUUID()) {
  return {
    id,
    selector,
    callId: 'msg-1@example.com',
    from: 'sip:bob@example.com',
    to: `sip:${selector}@sip.example.net`,
    contentType: 'text/plain;charset=utf-8',
    body: BODY.toString('base64'),
    receivedAt: 1_800_000_000_250,
  };
}

function callRecord(selector: string, callId = randomUUID()) {
  return {
    selector,
    callId,
    direction: 'inbound',
    caller: 'sip:bob@example.com',
    startedAt: 1_800_000_000_000,
    answeredAt: 1_800_000_004_500,
    endedAt: 1_800_000_064_500,
    outcome: 'answered',
    pushStatus: 'Device-Making-Progress',
  };
}

describe('messages', () => {
  it('stores a MESSAGE, answers after commit, and a resend with the same id changes nothing', async () => {
    const s = selectorStartingWith();
    await seedInstances(store.db, [s]);
    const m = message(s);
    expect(await sendRecord(agent, subjects.stateMessage, m)).toEqual({
      ok: true,
      value: { outcome: 'written' },
    });
    const read = () =>
      store.db.query<Record<string, unknown>>(
        `SELECT id, selector, call_id, from_uri, to_uri, content_type, body, acked_at,
                round(extract(epoch FROM received_at) * 1000)::bigint AS received_ms
         FROM messages WHERE selector = $1`,
        [s],
      );
    const first = (await read()).rows;
    expect(first).toEqual([
      {
        id: m.id,
        selector: s,
        call_id: m.callId,
        from_uri: m.from,
        to_uri: m.to,
        content_type: m.contentType,
        body: BODY,
        acked_at: null,
        received_ms: m.receivedAt,
      },
    ]);
    const resent = await sendRecord(agent, subjects.stateMessage, {
      ...m,
      body: Buffer.from('changed').toString('base64'),
    });
    expect(resent).toEqual({ ok: true, value: { outcome: 'duplicate' } });
    expect((await read()).rows).toEqual(first);
  });

  it('answers gone for an instance that is not stored, and writes nothing', async () => {
    const m = message(selectorStartingWith());
    expect(await sendRecord(agent, subjects.stateMessage, m)).toEqual({
      ok: true,
      value: { outcome: 'gone' },
    });
    const { rows } = await store.db.query('SELECT 1 FROM messages WHERE id = $1', [m.id]);
    expect(rows).toEqual([]);
  });

  it('refuses an invalid MESSAGE naming the field, without its value, and writes nothing', async () => {
    const s = selectorStartingWith();
    await seedInstances(store.db, [s]);
    const bad = { ...message(s), id: 'secret-looking-id', body: 'not base64 at all!' };
    const reply = await sendRecord(agent, subjects.stateMessage, bad);
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', retryable: false },
    });
    if (reply.ok) return;
    expect(reply.error.message).toContain('/id');
    expect(reply.error.message).toContain('/body');
    expect(reply.error.message).not.toContain('secret-looking-id');
    const { rows } = await store.db.query('SELECT 1 FROM messages WHERE selector = $1', [s]);
    expect(rows).toEqual([]);
  });
});

describe('call records', () => {
  it('appends a call record once; a resend changes nothing', async () => {
    const s = selectorStartingWith();
    await seedInstances(store.db, [s]);
    const c = callRecord(s);
    expect(await sendRecord(agent, subjects.stateCallRecord, c)).toEqual({
      ok: true,
      value: { outcome: 'written' },
    });
    expect(await sendRecord(agent, subjects.stateCallRecord, { ...c, outcome: 'missed' })).toEqual({
      ok: true,
      value: { outcome: 'duplicate' },
    });
    const { rows } = await store.db.query<Record<string, unknown>>(
      `SELECT call_id, direction, caller, outcome, push_status,
              round(extract(epoch FROM answered_at) * 1000)::bigint AS answered_ms,
              round(extract(epoch FROM ended_at) * 1000)::bigint AS ended_ms
       FROM call_records WHERE selector = $1`,
      [s],
    );
    expect(rows).toEqual([
      {
        call_id: c.callId,
        direction: 'inbound',
        caller: c.caller,
        outcome: 'answered',
        push_status: 'Device-Making-Progress',
        answered_ms: c.answeredAt,
        ended_ms: c.endedAt,
      },
    ]);
  });

  it('keeps a missed call with no answer time, and answers gone for an unknown instance', async () => {
    const s = selectorStartingWith();
    await seedInstances(store.db, [s]);
    const missed = { ...callRecord(s), answeredAt: null, outcome: 'missed', caller: null };
    delete (missed as { pushStatus?: string }).pushStatus;
    expect(await sendRecord(agent, subjects.stateCallRecord, missed)).toEqual({
      ok: true,
      value: { outcome: 'written' },
    });
    expect(
      await sendRecord(agent, subjects.stateCallRecord, callRecord(selectorStartingWith())),
    ).toEqual({ ok: true, value: { outcome: 'gone' } });
  });
});

describe('dead tokens', () => {
  it('marks the token dead, loads carry it, a resend changes nothing, a new token revives it', async () => {
    const s = selectorStartingWith('4');
    await seedInstances(store.db, [s]);
    await seedDevice(store.db, s, 'phone', 'token-old');
    await seedDevice(store.db, s, 'tablet', 'token-tablet');
    const dead = { selector: s, deviceId: 'phone', token: 'token-old', reason: 'unregistered' };
    const devicesOf = async () => {
      const page = await requestLoad(agent, { prefixes: [s.slice(0, 10)], limit: 10 });
      if (!page.ok) throw new Error(page.error.code);
      return Object.fromEntries(
        page.value.instances[0]!.devices.map((d) => [d.deviceId, d.tokenDead]),
      );
    };
    expect(await devicesOf()).toEqual({ phone: false, tablet: false });

    expect(await sendRecord(agent, subjects.stateDeadToken, dead)).toEqual({
      ok: true,
      value: { outcome: 'written' },
    });
    expect(await devicesOf()).toEqual({ phone: true, tablet: false });
    const markedAt = async () =>
      (
        await store.db.query<{ token_dead_at: Date; token_dead_reason: string }>(
          `SELECT token_dead_at, token_dead_reason FROM devices
           WHERE selector = $1 AND device_id = 'phone'`,
          [s],
        )
      ).rows[0];
    const first = await markedAt();
    expect(first?.token_dead_reason).toBe('unregistered');
    expect(
      await sendRecord(agent, subjects.stateDeadToken, { ...dead, reason: 'bad-token' }),
    ).toEqual({ ok: true, value: { outcome: 'duplicate' } });
    expect(await markedAt()).toEqual(first);

    // The app sends a new token (as registration-api's device PUT writes it).
    await store.db.query(
      `UPDATE devices SET push_token = 'token-new', updated_at = now()
       WHERE selector = $1 AND device_id = 'phone'`,
      [s],
    );
    expect(await devicesOf()).toEqual({ phone: false, tablet: false });
    // A late report about the old token leaves the new one alone.
    expect(await sendRecord(agent, subjects.stateDeadToken, dead)).toEqual({
      ok: true,
      value: { outcome: 'gone' },
    });
    expect(await devicesOf()).toEqual({ phone: false, tablet: false });
  });
});

it('answers a database failure with a retryable error, no ack, and nothing written', async () => {
  const failing: Database = {
    ...store.db,
    kind: store.db.kind,
    transaction: store.db.transaction.bind(store.db),
    exec: store.db.exec.bind(store.db),
    ping: store.db.ping.bind(store.db),
    close: async () => {},
    query: async () => {
      throw new DbError(DbErrorCode.Unavailable, 'connection terminated');
    },
  };
  await persister.stop();
  const b = await connectBus({ kind: 'nats', servers: nats.url, name: 'failing' });
  extraBuses.push(b);
  const broken = createStatePersister({ bus: b, db: failing, log: silentLog });
  broken.start();
  await b.flush();
  const s = selectorStartingWith();
  await seedInstances(store.db, [s]);
  const replies = await Promise.all([
    sendRecord(agent, subjects.stateMessage, message(s)),
    sendRecord(agent, subjects.stateCallRecord, callRecord(s)),
  ]);
  await broken.stop();
  for (const reply of replies) {
    expect(reply).toMatchObject({ ok: false, error: { code: 'STORE_FAILED', retryable: true } });
  }
  const { rows } = await store.db.query(
    `SELECT 1 FROM messages WHERE selector = $1 UNION ALL
     SELECT 1 FROM call_records WHERE selector = $1`,
    [s],
  );
  expect(rows).toEqual([]);
});
