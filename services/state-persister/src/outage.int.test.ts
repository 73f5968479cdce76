// PostgreSQL away: the persister answers /readyz 503, refuses batches retryably with nothing
// written and no ack, and is ready and writing again once PostgreSQL returns, by itself. The
// persister reaches PostgreSQL through a loopback proxy the test cuts and restores.
import { connectBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import { connectPostgres } from '@sipwake/db';
import type { Database } from '@sipwake/db';
import { startNatsServer, waitFor } from '@sipwake/testkit';
import type { NatsServer } from '@sipwake/testkit';
import { createHealthServer } from './health-server.js';
import type { HealthServer } from './health-server.js';
import { createStatePersister } from './persister.js';
import { createReadiness } from './readiness.js';
import { migrateWhenReachable } from '@sipwake/db';
import {
  createThrowawayStore,
  registrationsOf,
  row,
  seedInstances,
  selectorStartingWith,
  sendBatch,
  silentLog,
} from './test-support/store.js';
import type { ThrowawayStore } from './test-support/store.js';
import { startTcpProxy } from './test-support/tcp-proxy.js';
import type { TcpProxy } from './test-support/tcp-proxy.js';
import type { StatePersister } from './types.js';

let nats: NatsServer;
let store: ThrowawayStore;
let proxy: TcpProxy;
let agent: Bus;
let persisterBus: Bus;
let proxied: Database;
let persister: StatePersister;
let health: HealthServer;
let base: string;

beforeAll(async () => {
  [nats, store, proxy] = await Promise.all([
    startNatsServer({}),
    createThrowawayStore(),
    startTcpProxy({ host: '127.0.0.1', port: 5432 }),
  ]);
  proxied = await connectPostgres({
    connectionString: `postgres://postgres@127.0.0.1:${proxy.port}/${store.name}`,
    max: 2,
    connectTimeoutMs: 2000,
    lazy: true,
  });
  agent = await connectBus({ kind: 'nats', servers: nats.url, name: 'agent' });
  persisterBus = await connectBus({ kind: 'nats', servers: nats.url, name: 'persister' });
  persister = createStatePersister({ bus: persisterBus, db: proxied, log: silentLog });
  persister.start();
  await persisterBus.flush();
  health = createHealthServer({
    readiness: createReadiness({ db: proxied, bus: persisterBus, pingTimeoutMs: 2000 }),
    host: '127.0.0.1',
    port: 0,
  });
  base = `http://127.0.0.1:${await health.start()}`;
}, 60_000);

afterAll(async () => {
  await health?.stop();
  await persister?.stop();
  for (const b of [agent, persisterBus]) await b?.close();
  await proxied?.close();
  await proxy?.close();
  await store?.drop();
  await nats?.stop();
}, 60_000);

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: await response.json() };
}

it('is not ready while PostgreSQL is away, writes nothing, acks nothing, and recovers by itself', async () => {
  expect(await get('/readyz')).toEqual({
    status: 200,
    body: { status: 'ready', database: 'up', bus: 'up' },
  });
  const s = selectorStartingWith();
  await seedInstances(store.db, [s]);
  const batch = { shard: 'shard-a', batchId: 'outage-1', rows: [row(s, 4)] };

  proxy.cut();
  expect(await get('/readyz')).toEqual({
    status: 503,
    body: { status: 'not-ready', database: 'down', bus: 'up' },
  });
  expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'up' } });
  const refused = await sendBatch(agent, batch);
  expect(refused).toMatchObject({ ok: false, error: { code: 'STORE_FAILED', retryable: true } });
  expect((await registrationsOf(store.db)).has(s)).toBe(false);

  proxy.restore();
  await waitFor(async () => (await get('/readyz')).status === 200, {
    timeoutMs: 15_000,
    what: '/readyz to answer 200 after PostgreSQL returned',
  });
  expect(await sendBatch(agent, batch)).toEqual({
    ok: true,
    value: { batchId: 'outage-1', committed: 1 },
  });
  expect((await registrationsOf(store.db)).get(s)).toMatchObject({ version: 4 });
});

it('answers 404 for what it does not serve, and 405 for a method other than GET', async () => {
  expect(await get('/metrics')).toEqual({ status: 404, body: { error: 'not-found' } });
  expect(await get('/nope')).toEqual({ status: 404, body: { error: 'not-found' } });
  const post = await fetch(`${base}/readyz`, { method: 'POST' });
  expect(post.status).toBe(405);
  await post.text();
});

it('serves /metrics through the handler it is given', async () => {
  const withMetrics = createHealthServer({
    readiness: createReadiness({ db: proxied, bus: persisterBus, pingTimeoutMs: 2000 }),
    host: '127.0.0.1',
    port: 0,
    metricsHandler: (_request, response) => response.end('# sipwake metrics\n'),
  });
  const port = await withMetrics.start();
  try {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(await response.text()).toBe('# sipwake metrics\n');
  } finally {
    await withMetrics.stop();
  }
});

it('waits at start-up until PostgreSQL answers, then migrates', async () => {
  const warnings: object[] = [];
  const log = { ...silentLog, warn: (fields: object) => warnings.push(fields) };
  proxy.cut();
  let done = false;
  const starting = migrateWhenReachable({
    db: proxied,
    log,
    firstDelayMs: 20,
    maxDelayMs: 100,
  }).then(() => {
    done = true;
  });
  try {
    await waitFor(() => warnings.length >= 2, {
      timeoutMs: 15_000,
      what: 'two start-up attempts to fail',
    });
    expect(done).toBe(false);
    expect(warnings[0]).toMatchObject({ attempt: 1, code: 'UNAVAILABLE' });
  } finally {
    proxy.restore();
  }
  await starting;
  expect(done).toBe(true);
});

it('gives up waiting for PostgreSQL at start-up when told to stop', async () => {
  proxy.cut();
  const abort = new AbortController();
  let starting!: Promise<void>;
  const warned = new Promise<void>((resolve) => {
    const log = { ...silentLog, warn: () => resolve() };
    starting = migrateWhenReachable({
      db: proxied,
      log,
      firstDelayMs: 60_000,
      maxDelayMs: 60_000,
      signal: abort.signal,
    });
  });
  try {
    await warned;
    abort.abort(new Error('stop'));
    await expect(starting).rejects.toThrow('stop');
  } finally {
    proxy.restore();
  }
});
