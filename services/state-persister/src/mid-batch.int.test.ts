// The test: an agent-like sender keeps checkpointing (resending what was not acked)
// while the persister's database connection is killed in the middle of a batch transaction —
// once by pg_terminate_backend, once by cutting the network until several resends failed — and
// once the connection "dies" while COMMIT's answer is on its way (committed, reported failed).
// Afterwards every selector holds its newest version, each (selector, version) was written by
// exactly one committed transaction, every ack came after its rows were committed, and the
// killed batches were not acked.
import { connectBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import type { CheckpointBatch } from '@sipwake/contracts';
import { connectPostgres } from '@sipwake/db';
import type { Database } from '@sipwake/db';
import { startNatsServer } from '@sipwake/testkit';
import type { NatsServer } from '@sipwake/testkit';
import { createStatePersister } from './persister.js';
import { createAgentSender } from './test-support/agent-sender.js';
import { killableDatabase } from './test-support/killing-db.js';
import type { TransactionSeen } from './test-support/killing-db.js';
import {
  createThrowawayStore,
  registrationsOf,
  row,
  seedInstances,
  selectorStartingWith,
  silentLog,
} from './test-support/store.js';
import type { ThrowawayStore } from './test-support/store.js';
import { startTcpProxy } from './test-support/tcp-proxy.js';
import type { TcpProxy } from './test-support/tcp-proxy.js';
import type { StatePersister } from './types.js';

const SELECTORS = 300;
const ROUNDS = 60;
const CHANGES_PER_ROUND = 40;
const KILL_BY_TERMINATE = 5;
const KILL_BY_CUT = 20;
const FAILED_SENDS_WHILE_CUT = 4;
const LOSE_COMMIT_ANSWER = 40;

let nats: NatsServer;
let store: ThrowawayStore;
let proxy: TcpProxy;
let agent: Bus;
let persisterBus: Bus;
let proxied: Database;
let persister: StatePersister;

// Every committed write of a registration row, by a trigger: rows of a rolled-back transaction
// vanish with it, so a duplicate here is a second committed write of one version.
const AUDIT = `
CREATE TABLE registration_writes (selector text NOT NULL, version bigint NOT NULL);
CREATE FUNCTION audit_registration_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO registration_writes VALUES (NEW.selector, NEW.version);
  RETURN NEW;
END $$;
CREATE TRIGGER registration_writes AFTER INSERT OR UPDATE ON registrations
  FOR EACH ROW EXECUTE FUNCTION audit_registration_write();`;

beforeAll(async () => {
  [nats, store, proxy] = await Promise.all([
    startNatsServer({}),
    createThrowawayStore(),
    startTcpProxy({ host: '127.0.0.1', port: 5432 }),
  ]);
  await store.db.exec(AUDIT);
  proxied = await connectPostgres({
    connectionString: `postgres://postgres@127.0.0.1:${proxy.port}/${store.name}`,
    max: 2,
    connectTimeoutMs: 2000,
    lazy: true,
  });
  agent = await connectBus({ kind: 'nats', servers: nats.url, name: 'agent' });
  persisterBus = await connectBus({ kind: 'nats', servers: nats.url, name: 'persister' });
}, 60_000);

afterAll(async () => {
  await persister?.stop();
  for (const b of [agent, persisterBus]) await b?.close();
  await proxied?.close();
  await proxy?.close();
  await store?.drop();
  await nats?.stop();
}, 60_000);

it('kills the database connection mid-batch and finds every checkpoint written exactly once after it returns', async () => {
  const selectors = Array.from({ length: SELECTORS }, () => selectorStartingWith());
  await seedInstances(store.db, selectors);

  const killed: TransactionSeen[] = [];
  let cutSince: number | undefined;
  const lost: TransactionSeen[] = [];
  const db = killableDatabase(proxied, {
    async midTransaction(tx, seen) {
      if (seen.number === KILL_BY_TERMINATE) {
        killed.push(seen);
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await store.db.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      } else if (seen.number === KILL_BY_CUT) {
        killed.push(seen);
        proxy.cut();
      }
    },
    loseCommit(seen) {
      if (seen.number !== LOSE_COMMIT_ANSWER) return false;
      lost.push(seen);
      return true;
    },
  });
  persister = createStatePersister({ bus: persisterBus, db, log: silentLog });
  persister.start();
  await persisterBus.flush();

  // Read back on the test's own connection at the moment each ack arrives.
  const ackedBeforeCommit: string[] = [];
  const checkCommitted = async (batch: CheckpointBatch): Promise<void> => {
    const stored = await registrationsOf(store.db);
    for (const r of batch.rows) {
      if ((stored.get(r.selector)?.version ?? -1) < r.version) ackedBeforeCommit.push(r.selector);
    }
  };
  const sender = createAgentSender({
    bus: agent,
    shard: 'shard-k',
    maxRows: 50,
    onAck: checkCommitted,
  });

  const newest = new Map<string, number>();
  let failedWhileCut = 0;
  const afterSend = (failed: boolean): void => {
    if (cutSince === undefined && killed.length === 2) cutSince = sender.attempts.length;
    if (cutSince !== undefined && failed) failedWhileCut += 1;
    if (cutSince !== undefined && failedWhileCut >= FAILED_SENDS_WHILE_CUT) {
      proxy.restore();
      cutSince = undefined;
      failedWhileCut = -Infinity;
    }
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < CHANGES_PER_ROUND; i++) {
      const s = selectors[(round * 37 + i * 11) % SELECTORS]!;
      const version = (newest.get(s) ?? 0) + 1;
      newest.set(s, version);
      sender.note(row(s, version, { cseq: version, lastCode: version % 2 === 0 ? 200 : 401 }));
    }
    const attempt = await sender.sendOnce();
    afterSend(attempt !== undefined && attempt.outcome !== 'ack');
  }
  for (let drain = 0; drain < 200 && !sender.idle(); drain++) {
    const attempt = await sender.sendOnce();
    afterSend(attempt !== undefined && attempt.outcome !== 'ack');
  }
  expect(sender.idle()).toBe(true);

  // Both kills happened mid-batch, and neither killed batch was acknowledged; the batch whose
  // COMMIT answer was lost was answered with an error, then acked on its resend.
  expect(killed.map((k) => k.number)).toEqual([KILL_BY_TERMINATE, KILL_BY_CUT]);
  expect(lost.map((k) => k.number)).toEqual([LOSE_COMMIT_ANSWER]);
  for (const k of [...killed, ...lost]) {
    const key = [...k.selectors].sort().join(',');
    const tries = sender.attempts.filter(
      (a) => [...new Set(a.batch.rows.map((r) => r.selector))].sort().join(',') === key,
    );
    expect(tries.length).toBeGreaterThan(1);
    expect(tries[0]).toMatchObject({ outcome: 'error', code: 'STORE_FAILED' });
    expect(tries[tries.length - 1]!.outcome).toBe('ack');
  }
  const failures = sender.attempts.filter((a) => a.outcome !== 'ack');
  expect(failures.length).toBeGreaterThanOrEqual(2 + FAILED_SENDS_WHILE_CUT);
  expect(ackedBeforeCommit).toEqual([]);

  // Every selector holds its newest version, and each version was committed at most once.
  const stored = await registrationsOf(store.db);
  expect(stored.size).toBe(newest.size);
  for (const [s, version] of newest) expect([s, stored.get(s)?.version]).toEqual([s, version]);
  const { rows: twice } = await store.db.query<{ selector: string; version: number }>(
    `SELECT selector, version FROM registration_writes
     GROUP BY selector, version HAVING count(*) > 1`,
  );
  expect(twice).toEqual([]);
  const { rows: writes } = await store.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM registration_writes',
  );
  expect(writes[0]!.n).toBeGreaterThanOrEqual(newest.size);
}, 120_000);
