// Expiry on a private nats-server and a throw-away database: an instance nobody has heard from is
// deleted with everything that hangs off it (its sealed password included) and the answer comes
// after COMMIT; a newer version or later activity keeps it untouched; a resend finds it `gone`;
// an invalid request or a failing database changes nothing; a presence update in flight is waited
// for and keeps the instance.
import { connectBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import { subjects } from '@sipwake/contracts';
import type { Database, Queryable } from '@sipwake/db';
import { DbError, DbErrorCode } from '@sipwake/db';
import { startNatsServer, waitFor } from '@sipwake/testkit';
import type { NatsServer } from '@sipwake/testkit';
import { createStatePersister } from './persister.js';
import {
  createThrowawayStore,
  requestLoad,
  seedDevice,
  seedInstances,
  selectorStartingWith,
  sendExpire,
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

/** When the app was last heard of, as the store holds it (with microseconds, as now() writes). */
const HEARD_AT = 1_800_000_000_123;
const HEARD_AT_SQL = '2027-01-15 08:00:00.123456+00';

/** An instance with two devices, a registration, a stored MESSAGE and a call record. */
async function seedExpirable(selector: string): Promise<void> {
  await seedInstances(store.db, [selector]);
  await seedDevice(store.db, selector, 'phone', 'token-phone');
  await seedDevice(store.db, selector, 'tablet', 'token-tablet');
  await store.db.query(`UPDATE devices SET last_seen_at = $2 WHERE selector = $1`, [
    selector,
    HEARD_AT_SQL,
  ]);
  await store.db.query(`UPDATE instances SET last_seen_at = $2 WHERE selector = $1`, [
    selector,
    HEARD_AT_SQL,
  ]);
  await store.db.query(
    `INSERT INTO registrations (selector, status, call_id, cseq, version)
     VALUES ($1, 'registered', 'call-1', 7, 3)`,
    [selector],
  );
  await store.db.query(
    `INSERT INTO messages (selector, from_uri, to_uri, content_type, body)
     VALUES ($1, 'sip:bob@example.com', 'sip:alice@example.com', 'text/plain', '\\x6869')`,
    [selector],
  );
  await store.db.query(
    `INSERT INTO call_records (selector, call_id, started_at) VALUES ($1, 'c-1', now())`,
    [selector],
  );
}

/** How many rows of each table belong to the selector. */
async function rowsOf(db: Queryable, selector: string): Promise<Record<string, number>> {
  const { rows } = await db.query<{ t: string; n: number }>(
    `SELECT 'instances' AS t, count(*)::int AS n FROM instances WHERE selector = $1
     UNION ALL SELECT 'devices', count(*)::int FROM devices WHERE selector = $1
     UNION ALL SELECT 'registrations', count(*)::int FROM registrations WHERE selector = $1
     UNION ALL SELECT 'messages', count(*)::int FROM messages WHERE selector = $1
     UNION ALL SELECT 'call_records', count(*)::int FROM call_records WHERE selector = $1`,
    [selector],
  );
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

const ALL_ROWS = { instances: 1, devices: 2, registrations: 1, messages: 1, call_records: 1 };
const NO_ROWS = { instances: 0, devices: 0, registrations: 0, messages: 0, call_records: 0 };

function expireOf(selector: string, extra: Record<string, unknown> = {}) {
  return { shard: 'shard-a', selector, version: 1, lastHeardAt: HEARD_AT, ...extra };
}

it('deletes an instance nobody was heard from, with all its rows, and a resend is gone', async () => {
  const s = selectorStartingWith();
  await seedExpirable(s);
  expect(await rowsOf(store.db, s)).toEqual(ALL_ROWS);

  expect(await sendExpire(agent, expireOf(s))).toEqual({ ok: true, value: { outcome: 'deleted' } });
  // Answered after COMMIT: another connection already sees nothing, the sealed password included.
  expect(await rowsOf(store.db, s)).toEqual(NO_ROWS);
  const own = await store.db.query(
    `SELECT password_ciphertext FROM instances WHERE selector = $1`,
    [s],
  );
  expect(own.rows).toEqual([]);

  // The reply was lost and the agent sends the same request again.
  expect(await sendExpire(agent, expireOf(s))).toEqual({ ok: true, value: { outcome: 'gone' } });
});

it('loads carry the instance’s last-seen time, and an expiry from the loaded times deletes', async () => {
  const heard = selectorStartingWith('3');
  const never = selectorStartingWith('3');
  await seedExpirable(heard);
  await seedInstances(store.db, [never]);
  const page = await requestLoad(agent, { prefixes: ['3/4'], limit: 10_000 });
  if (!page.ok) throw new Error(page.error.code);
  const loaded = new Map(page.value.instances.map((i) => [i.selector, i]));
  // Stored with microseconds (.123456), sent rounded to the millisecond like the devices' times.
  expect(loaded.get(heard)?.lastSeenAt).toBe(HEARD_AT);
  expect(loaded.get(heard)?.devices.map((d) => d.lastSeenAt)).toEqual([HEARD_AT, HEARD_AT]);
  expect(loaded.get(never)?.lastSeenAt).toBeNull();

  const instance = loaded.get(heard)!;
  const newest = Math.max(
    instance.lastSeenAt ?? 0,
    ...instance.devices.map((d) => d.lastSeenAt ?? 0),
  );
  expect(
    await sendExpire(agent, expireOf(heard, { version: instance.version, lastHeardAt: newest })),
  ).toEqual({ ok: true, value: { outcome: 'deleted' } });
});

it('answers gone for an instance that was never stored', async () => {
  const s = selectorStartingWith();
  expect(await sendExpire(agent, expireOf(s))).toEqual({ ok: true, value: { outcome: 'gone' } });
  expect(await rowsOf(store.db, s)).toEqual(NO_ROWS);
});

it('keeps an instance whose stored version is not the agent’s, unchanged', async () => {
  const s = selectorStartingWith();
  await seedExpirable(s);
  await store.db.query(`UPDATE instances SET version = 2 WHERE selector = $1`, [s]);
  expect(await sendExpire(agent, expireOf(s))).toEqual({ ok: true, value: { outcome: 'kept' } });
  expect(await rowsOf(store.db, s)).toEqual(ALL_ROWS);
  // A version the store never had (newer than its own) is not the store's either.
  expect(await sendExpire(agent, expireOf(s, { version: 3 }))).toEqual({
    ok: true,
    value: { outcome: 'kept' },
  });
  expect(await rowsOf(store.db, s)).toEqual(ALL_ROWS);
});

it('keeps an instance when one device was seen a millisecond after lastHeardAt', async () => {
  const s = selectorStartingWith();
  await seedExpirable(s);
  await store.db.query(
    `UPDATE devices SET last_seen_at = last_seen_at + interval '1 millisecond'
     WHERE selector = $1 AND device_id = 'tablet'`,
    [s],
  );
  expect(await sendExpire(agent, expireOf(s))).toEqual({ ok: true, value: { outcome: 'kept' } });
  expect(await rowsOf(store.db, s)).toEqual(ALL_ROWS);
  // The agent reloads, learns the newer time, and may expire it later.
  expect(await sendExpire(agent, expireOf(s, { lastHeardAt: HEARD_AT + 1 }))).toEqual({
    ok: true,
    value: { outcome: 'deleted' },
  });
  expect(await rowsOf(store.db, s)).toEqual(NO_ROWS);
});

it('keeps an instance seen after lastHeardAt even when its devices were not', async () => {
  const s = selectorStartingWith();
  await seedExpirable(s);
  await store.db.query(
    `UPDATE instances SET last_seen_at = last_seen_at + interval '1 millisecond'
     WHERE selector = $1`,
    [s],
  );
  expect(await sendExpire(agent, expireOf(s))).toEqual({ ok: true, value: { outcome: 'kept' } });
  expect(await rowsOf(store.db, s)).toEqual(ALL_ROWS);
});

it('refuses an invalid request naming its fields, without their values, and changes nothing', async () => {
  const s = selectorStartingWith();
  await seedExpirable(s);
  for (const bad of [
    expireOf(s, { version: -1, lastHeardAt: 'yesterday' }),
    { selector: s, version: 1 },
    expireOf('not-a-selector-secret'),
  ]) {
    const reply = await sendExpire(agent, bad);
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', retryable: false },
    });
    if (!reply.ok) expect(reply.error.message).not.toContain('secret');
  }
  const named = await sendExpire(agent, expireOf(s, { version: -1, lastHeardAt: 'yesterday' }));
  if (named.ok) throw new Error('an invalid request was accepted');
  expect(named.error.message).toContain('/version');
  expect(named.error.message).toContain('/lastHeardAt');
  const notJson = await agent.request(subjects.stateExpire, Buffer.from('{not json'), {
    timeoutMs: 10_000,
  });
  expect(JSON.parse(Buffer.from(notJson.data).toString())).toMatchObject({
    error: { code: 'INVALID_REQUEST' },
  });
  expect(await rowsOf(store.db, s)).toEqual(ALL_ROWS);
});

it('waits for a presence update in flight and keeps the instance it renewed', async () => {
  const s = selectorStartingWith();
  await seedExpirable(s);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const deviceLocked = new Promise<void>((resolve) => (locked = resolve));
  // What registration-api's presence update does: the device row, then the instance row.
  const presence = store.db.transaction(async (tx) => {
    await tx.query(
      `UPDATE devices SET last_seen_at = $2::timestamptz + interval '1 second'
       WHERE selector = $1 AND device_id = 'phone'`,
      [s, HEARD_AT_SQL],
    );
    locked();
    await released;
    await tx.query(
      `UPDATE instances SET last_seen_at = $2::timestamptz + interval '1 second' WHERE selector = $1`,
      [s, HEARD_AT_SQL],
    );
  });
  await deviceLocked;
  const expiry = sendExpire(agent, expireOf(s));
  await waitFor(
    async () => {
      const { rows } = await store.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      return Number(rows[0]?.n) > 0;
    },
    { timeoutMs: 10_000, what: 'the expiry to wait for the device lock' },
  );
  release();
  await presence;
  expect(await expiry).toEqual({ ok: true, value: { outcome: 'kept' } });
  expect(await rowsOf(store.db, s)).toEqual(ALL_ROWS);
});

it('answers a database failure retryable, and the rolled-back delete leaves every row', async () => {
  const s = selectorStartingWith();
  await seedExpirable(s);
  // The delete itself fails inside the transaction, after the locks and checks passed.
  const failing: Database = {
    kind: store.db.kind,
    query: store.db.query.bind(store.db),
    exec: store.db.exec.bind(store.db),
    ping: store.db.ping.bind(store.db),
    close: async () => {},
    transaction: (fn) =>
      store.db.transaction((tx) =>
        fn({
          exec: tx.exec.bind(tx),
          query: async (sql, params) => {
            if (sql.trimStart().startsWith('DELETE')) {
              await tx.query(sql, params);
              throw new DbError(DbErrorCode.Unavailable, 'connection terminated');
            }
            return tx.query(sql, params);
          },
        } as Queryable),
      ),
  };
  await persister.stop();
  const b = await connectBus({ kind: 'nats', servers: nats.url, name: 'failing' });
  extraBuses.push(b);
  const broken = createStatePersister({ bus: b, db: failing, log: silentLog });
  broken.start();
  await b.flush();
  const reply = await sendExpire(agent, expireOf(s));
  await broken.stop();
  expect(reply).toMatchObject({ ok: false, error: { code: 'STORE_FAILED', retryable: true } });
  expect(await rowsOf(store.db, s)).toEqual(ALL_ROWS);
});
