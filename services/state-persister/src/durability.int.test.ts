// Durability: stop() finishes a batch in flight before it resolves.
import { connectBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import type { Database } from '@sipwake/db';
import { startNatsServer } from '@sipwake/testkit';
import type { NatsServer } from '@sipwake/testkit';
import { createStatePersister } from './persister.js';
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

let nats: NatsServer;
let store: ThrowawayStore;
let agent: Bus;
const buses: Bus[] = [];

beforeAll(async () => {
  [nats, store] = await Promise.all([startNatsServer({}), createThrowawayStore()]);
  agent = await connectBus({ kind: 'nats', servers: nats.url, name: 'agent' });
}, 60_000);

afterAll(async () => {
  for (const b of [agent, ...buses]) await b?.close();
  await store?.drop();
  await nats?.stop();
}, 60_000);

async function persisterBus(): Promise<Bus> {
  const bus = await connectBus({ kind: 'nats', servers: nats.url, name: 'persister' });
  buses.push(bus);
  return bus;
}

it('finishes a batch in flight before stop() resolves', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const order: string[] = [];
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const slow: Database = {
    kind: store.db.kind,
    query: store.db.query.bind(store.db),
    exec: store.db.exec.bind(store.db),
    ping: store.db.ping.bind(store.db),
    close: async () => {},
    transaction: async (fn) => {
      entered();
      await gate;
      const value = await store.db.transaction(fn);
      order.push('committed');
      return value;
    },
  };
  const bus = await persisterBus();
  const persister = createStatePersister({ bus, db: slow, log: silentLog });
  persister.start();
  await bus.flush();
  const s = selectorStartingWith();
  await seedInstances(store.db, [s]);

  const reply = sendBatch(agent, { shard: 'shard-a', batchId: 'slow', rows: [row(s, 1)] });
  await inside;
  const stopping = persister.stop().then(() => order.push('stopped'));
  // Give the subscriptions' drain time to reach the server and back before the write ends.
  await agent.flush();
  await agent.flush();
  expect(order).toEqual([]);
  release();
  await stopping;
  expect(order).toEqual(['committed', 'stopped']);
  expect(await reply).toEqual({ ok: true, value: { batchId: 'slow', committed: 1 } });
  expect((await registrationsOf(store.db)).get(s)).toMatchObject({ version: 1 });
});
