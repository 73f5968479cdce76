// Against a real nats-server (a private one, so the real subjects and queue group are used
// without meeting another suite's persisters) and a throw-away PostgreSQL database.
import { connectBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import { prefixMatches, parsePrefix, subjects } from '@sipwake/contracts';
import type { Database } from '@sipwake/db';
import { DbError, DbErrorCode } from '@sipwake/db';
import { startNatsServer } from '@sipwake/testkit';
import type { NatsServer } from '@sipwake/testkit';
import { createStatePersister } from './persister.js';
import type { StatePersister } from './types.js';
import {
  createThrowawayStore,
  loadAll,
  registrationsOf,
  requestLoad,
  row,
  SEALED,
  seedInstances,
  selectorStartingWith,
  sendBatch,
  sendRaw,
  silentLog,
} from './test-support/store.js';
import type { ThrowawayStore } from './test-support/store.js';

let nats: NatsServer;
let store: ThrowawayStore;
let bus: Bus;
let persisterBus: Bus;
let persister: StatePersister;
const extraBuses: Bus[] = [];

beforeAll(async () => {
  [nats, store] = await Promise.all([startNatsServer({}), createThrowawayStore()]);
  bus = await connectBus({ kind: 'nats', servers: nats.url, name: 'agent' });
  persisterBus = await connectBus({ kind: 'nats', servers: nats.url, name: 'persister' });
  persister = createStatePersister({ bus: persisterBus, db: store.db, log: silentLog });
  persister.start();
  await persisterBus.flush();
}, 60_000);

afterAll(async () => {
  await persister?.stop();
  for (const b of [bus, persisterBus, ...extraBuses]) await b?.close();
  await store?.drop();
  await nats?.stop();
}, 60_000);

describe('checkpoints', () => {
  it('acknowledges a batch after commit; its rows are then readable', async () => {
    const selectors = [selectorStartingWith(), selectorStartingWith(), selectorStartingWith()];
    await seedInstances(store.db, selectors);
    const reply = await sendBatch(bus, {
      shard: 'shard-a',
      batchId: 'b-1',
      rows: selectors.map((s) => row(s, 3)),
    });
    expect(reply).toEqual({ ok: true, value: { batchId: 'b-1', committed: 3 } });
    const stored = await registrationsOf(store.db);
    for (const s of selectors) {
      expect(stored.get(s)).toMatchObject({ status: 'registered', version: 3, shard: 'shard-a' });
    }
  });

  it('changes nothing when a batch is replayed', async () => {
    const s = selectorStartingWith();
    await seedInstances(store.db, [s]);
    const batch = { shard: 'shard-a', batchId: 'b-replay', rows: [row(s, 5)] };
    expect((await sendBatch(bus, batch)).ok).toBe(true);
    const before = (await registrationsOf(store.db)).get(s);
    const again = await sendBatch(bus, batch);
    expect(again).toEqual({ ok: true, value: { batchId: 'b-replay', committed: 1 } });
    const after = (await registrationsOf(store.db)).get(s);
    expect(after).toEqual(before);
    expect(after?.updatedAt.getTime()).toBe(before?.updatedAt.getTime());
  });

  it('never lets an older version overwrite a newer one', async () => {
    const s = selectorStartingWith();
    await seedInstances(store.db, [s]);
    await sendBatch(bus, { shard: 'shard-a', batchId: 'new', rows: [row(s, 9)] });
    const old = await sendBatch(bus, {
      shard: 'shard-b',
      batchId: 'old',
      rows: [row(s, 4, { status: 'unauthorized', lastCode: 403 })],
    });
    expect(old.ok).toBe(true);
    expect((await registrationsOf(store.db)).get(s)).toMatchObject({
      status: 'registered',
      version: 9,
      shard: 'shard-a',
    });
  });

  it('keeps the newest of two rows for one selector in one batch', async () => {
    const s = selectorStartingWith();
    await seedInstances(store.db, [s]);
    const reply = await sendBatch(bus, {
      shard: 'shard-a',
      batchId: 'dup',
      rows: [row(s, 7, { status: 'error' }), row(s, 6)],
    });
    expect(reply.ok).toBe(true);
    expect((await registrationsOf(store.db)).get(s)).toMatchObject({ status: 'error', version: 7 });
  });

  it('refuses an invalid batch with the reason and writes nothing of it', async () => {
    const good = selectorStartingWith();
    await seedInstances(store.db, [good]);
    const reply = await sendRaw(bus, subjects.stateCheckpoint, {
      shard: 'shard-a',
      batchId: 'bad',
      rows: [row(good, 2), { ...row(selectorStartingWith(), 2), cseq: -1 }],
    });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('INVALID_REQUEST');
    expect(reply.error.retryable).toBe(false);
    expect(reply.error.message).toContain('/rows/1/cseq');
    expect((await registrationsOf(store.db)).has(good)).toBe(false);
  });

  it('answers a database failure with a retryable error and no ack', async () => {
    const failing: Database = {
      ...store.db,
      kind: store.db.kind,
      query: store.db.query.bind(store.db),
      exec: store.db.exec.bind(store.db),
      ping: store.db.ping.bind(store.db),
      close: async () => {},
      transaction: async () => {
        throw new DbError(DbErrorCode.Unavailable, 'connection terminated');
      },
    };
    const b = await connectBus({ kind: 'nats', servers: nats.url, name: 'failing' });
    extraBuses.push(b);
    await persister.stop();
    const broken = createStatePersister({ bus: b, db: failing, log: silentLog });
    broken.start();
    await b.flush();
    const s = selectorStartingWith();
    await seedInstances(store.db, [s]);
    const reply = await sendBatch(bus, { shard: 'shard-a', batchId: 'x', rows: [row(s, 1)] });
    await broken.stop();
    persister = createStatePersister({ bus: persisterBus, db: store.db, log: silentLog });
    persister.start();
    await persisterBus.flush();
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'STORE_FAILED',
        message: 'checkpoint failed: database UNAVAILABLE',
        retryable: true,
      },
    });
    expect((await registrationsOf(store.db)).has(s)).toBe(false);
  });
});

describe('load', () => {
  it('returns pages covering exactly the selectors of the prefixes, password sealed', async () => {
    const inside = Array.from({ length: 23 }, (_, i) => selectorStartingWith('45670'[i % 5]));
    const outside = Array.from({ length: 7 }, (_, i) => selectorStartingWith('89abc'[i % 5]));
    await seedInstances(store.db, [...inside, ...outside]);
    await sendBatch(bus, { shard: 'shard-a', batchId: 'load-1', rows: [row(inside[0]!, 2)] });

    const prefixes = ['4/2', '0/4'];
    const { selectors, pages } = await loadAll(bus, prefixes, 5);
    const all = (await store.db.query<{ selector: string }>('SELECT selector FROM instances')).rows
      .map((r) => r.selector)
      .filter((s) => prefixes.some((p) => prefixMatches(parsePrefix(p), s)))
      .sort();
    expect(selectors).toEqual(all);
    expect(new Set(selectors).size).toBe(selectors.length);
    expect(pages).toBeGreaterThan(1);
    for (const s of outside) expect(selectors).not.toContain(s);

    const first = await requestLoad(bus, { prefixes: ['4/2'], limit: 10_000 });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const loaded = first.value.instances.find((i) => i.selector === inside[0]);
    expect(loaded?.account.passwordSealed).toBe(SEALED.toString('base64url'));
    expect(loaded?.registration).toMatchObject({
      version: 2,
      expiresAt: 1_800_000_000_123,
      lastAt: 1_799_999_000_456,
    });
  });

  it('refuses a cursor that is not a selector', async () => {
    const reply = await requestLoad(bus, { prefixes: ['4/2'], limit: 5, cursor: 'nope' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_CURSOR', retryable: false } });
  });
});

describe('queue group', () => {
  it('shares batches between two persisters and writes each batch once', async () => {
    const counts = [0, 0];
    const counting = (i: number): Database => ({
      ...store.db,
      kind: store.db.kind,
      query: store.db.query.bind(store.db),
      exec: store.db.exec.bind(store.db),
      ping: store.db.ping.bind(store.db),
      close: async () => {},
      transaction: (fn) => {
        counts[i]! += 1;
        return store.db.transaction(fn);
      },
    });
    await persister.stop();
    const buses = await Promise.all(
      [0, 1].map((i) => connectBus({ kind: 'nats', servers: nats.url, name: `p${i}` })),
    );
    extraBuses.push(...buses);
    const pair = buses.map((b, i) =>
      createStatePersister({ bus: b, db: counting(i), log: silentLog }),
    );
    for (const p of pair) p.start();
    await Promise.all(buses.map((b) => b.flush()));

    const selectors = Array.from({ length: 40 }, () => selectorStartingWith());
    await seedInstances(store.db, selectors);
    const replies = await Promise.all(
      selectors.map((s, i) =>
        sendBatch(bus, { shard: 'shard-q', batchId: `q-${i}`, rows: [row(s, 1)] }),
      ),
    );
    await Promise.all(pair.map((p) => p.stop()));
    expect(replies.every((r) => r.ok)).toBe(true);
    expect(counts[0]! + counts[1]!).toBe(40);
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBeGreaterThan(0);
    const stored = await registrationsOf(store.db);
    for (const s of selectors)
      expect(stored.get(s)).toMatchObject({ version: 1, shard: 'shard-q' });
  });
});
