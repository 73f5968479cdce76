// The embedded default: the in-process bus and PGlite, one process.
import { createInProcessBus } from '@sipwake/bus';
import { subjects } from '@sipwake/contracts';
import { migrate, openPglite } from '@sipwake/db';
import type { Database } from '@sipwake/db';
import { createStatePersister } from './persister.js';
import {
  loadAll,
  registrationsOf,
  row,
  seedInstances,
  seedDevice,
  selectorStartingWith,
  sendBatch,
  sendExpire,
  sendRecord,
  silentLog,
} from './test-support/store.js';

let db: Database;

beforeAll(async () => {
  db = await openPglite();
  await migrate(db);
}, 60_000);

afterAll(async () => {
  await db?.close();
});

it('writes a batch once by version and loads it back, on the in-process bus and PGlite', async () => {
  const bus = createInProcessBus();
  const persister = createStatePersister({ bus, db, log: silentLog });
  persister.start();
  const selectors = Array.from({ length: 12 }, (_, i) => selectorStartingWith('4c'[i % 2]));
  await seedInstances(db, selectors);

  const batch = { shard: 'embedded', batchId: 'e-1', rows: selectors.map((s) => row(s, 2)) };
  expect(await sendBatch(bus, batch)).toEqual({
    ok: true,
    value: { batchId: 'e-1', committed: 12 },
  });
  const older = await sendBatch(bus, {
    ...batch,
    batchId: 'e-0',
    rows: [row(selectors[0]!, 1, { status: 'error' })],
  });
  expect(older.ok).toBe(true);
  const stored = await registrationsOf(db);
  expect(stored.get(selectors[0]!)).toMatchObject({ status: 'registered', version: 2 });

  const { selectors: loaded } = await loadAll(bus, ['4/4'], 4);
  expect(loaded).toEqual(selectors.filter((s) => s.startsWith('4')).sort());

  await persister.stop();
  await bus.close();
});

it('expires an instance with its devices on the in-process bus and PGlite', async () => {
  const bus = createInProcessBus();
  const persister = createStatePersister({ bus, db, log: silentLog });
  persister.start();
  const [seen, quiet] = [selectorStartingWith(), selectorStartingWith()];
  await seedInstances(db, [seen, quiet]);
  for (const s of [seen, quiet]) await seedDevice(db, s, 'phone', `token-${s.slice(0, 6)}`);
  await db.query(
    `UPDATE devices SET last_seen_at = '2027-01-15 08:00:00.123+00' WHERE selector = ANY($1::text[])`,
    [[seen, quiet]],
  );
  const heardAt = 1_800_000_000_123;
  await db.query(
    `UPDATE devices SET last_seen_at = last_seen_at + interval '1 second'
                  WHERE selector = $1`,
    [seen],
  );

  const expire = (selector: string) =>
    sendExpire(bus, { shard: 'embedded', selector, version: 1, lastHeardAt: heardAt });
  expect(await expire(seen)).toEqual({ ok: true, value: { outcome: 'kept' } });
  expect(await expire(quiet)).toEqual({ ok: true, value: { outcome: 'deleted' } });
  expect(await expire(quiet)).toEqual({ ok: true, value: { outcome: 'gone' } });
  const { rows } = await db.query<{ selector: string }>(
    `SELECT selector FROM instances WHERE selector = ANY($1::text[])
     UNION ALL SELECT selector FROM devices WHERE selector = ANY($1::text[])`,
    [[seen, quiet]],
  );
  expect(rows.map((r) => r.selector)).toEqual([seen, seen]);

  await persister.stop();
  await bus.close();
});

it('takes a device token from a device-side REGISTER once on the in-process bus and PGlite', async () => {
  const bus = createInProcessBus();
  const persister = createStatePersister({ bus, db, log: silentLog });
  persister.start();
  const s = selectorStartingWith('8');
  await seedInstances(db, [s]);
  await seedDevice(db, s, 'phone', 'token-old');
  const fresh = {
    selector: s,
    deviceId: 'phone',
    provider: 'apns',
    token: 'token-new',
    voipToken: 'voip-new',
    at: Date.now() + 60_000,
  };
  const outcomes = [];
  for (const request of [fresh, fresh, { ...fresh, token: 'token-older', at: fresh.at - 1 }]) {
    const reply = await sendRecord(bus, subjects.stateDeviceToken, request);
    outcomes.push(reply.ok ? reply.value.outcome : reply.error.code);
  }
  expect(outcomes).toEqual(['written', 'duplicate', 'gone']);
  const { rows } = await db.query(
    'SELECT push_token, voip_token FROM devices WHERE selector = $1',
    [s],
  );
  expect(rows).toEqual([{ push_token: 'token-new', voip_token: 'voip-new' }]);
  await persister.stop();
  await bus.close();
});
