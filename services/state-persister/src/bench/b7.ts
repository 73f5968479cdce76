// B7 (BENCHMARKS.md): checkpoint rows/s from real NATS through one state-persister process into
// a throw-away PostgreSQL database, beside a bare batched UNNEST upsert loop and COPY-to-staging
// on the same table in the same run; ack latency; staleness at 10k rows/s; loading 100k
// instances of a shard through the load subject. Bounded in rows and wall-clock; prints figures,
// asserts nothing. Run: `npm run bench -w @sipwake/state-persister`.
import { execFileSync, fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { connectBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import {
  CheckpointAck,
  CheckpointBatch,
  decodeReply,
  encodeMessage,
  LoadPage,
  LoadRequest,
  subjects,
} from '@sipwake/contracts';
import type { CheckpointRow } from '@sipwake/contracts';
import { connectPostgres, migrate } from '@sipwake/db';
import type { Database } from '@sipwake/db';
import { startNatsServer } from '@sipwake/testkit';
import { loadPage } from '../load-query.js';
import { cpuSeconds, int, ms, rssMb, summary } from './measure.js';
import { copyToStaging, unnestUpsert } from './peers.js';

const INSTANCES = 100_000;
const BATCH_ROWS = 1000;
const IN_FLIGHT = 8;
const THROUGHPUT_ROWS = 300_000;
const RUN_WALL_MS = 60_000;
const STALE_RATE = 10_000;
const STALE_SECONDS = 5;
const STALE_FLUSH_MS = 50;
const LOAD_PAGE = 500;
const PG = 'postgres://postgres@127.0.0.1:5432';

interface RunResult {
  name: string;
  rows: number;
  seconds: number;
  latencies: number[];
  failures: number;
  cpu?: number;
  rss?: number;
  heap?: number;
  eventLoopP99?: number;
}

let version = 0;
const selectors = Array.from({ length: INSTANCES }, () => randomBytes(20).toString('hex'));

function batchRows(index: number, base: number): CheckpointRow[] {
  const first = (index * BATCH_ROWS) % INSTANCES;
  const v = base + Math.floor((index * BATCH_ROWS) / INSTANCES) + 1;
  const now = Date.now();
  return selectors.slice(first, first + BATCH_ROWS).map((selector) => ({
    selector,
    status: 'registered',
    callId: `c-${selector.slice(0, 12)}@b7`,
    cseq: v,
    expiresAt: now + 3_600_000,
    lastCode: 200,
    lastAt: now,
    version: v,
  }));
}

/** IN_FLIGHT workers take batch indexes until the rows or the wall-clock bound run out. */
async function drive(
  name: string,
  send: (rows: CheckpointRow[], worker: number) => Promise<boolean>,
  totalRows = THROUGHPUT_ROWS,
): Promise<RunResult> {
  const batches = totalRows / BATCH_ROWS;
  const base = version;
  version += Math.ceil(totalRows / INSTANCES);
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  let rows = 0;
  const started = performance.now();
  const deadline = started + RUN_WALL_MS;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async (_, worker) => {
      while (next < batches && performance.now() < deadline) {
        const batch = batchRows(next++, base);
        const t0 = performance.now();
        const ok = await send(batch, worker).catch(() => false);
        latencies.push(performance.now() - t0);
        if (ok) rows += batch.length;
        else failures += 1;
      }
    }),
  );
  return { name, rows, seconds: (performance.now() - started) / 1000, latencies, failures };
}

async function requestCheckpoint(bus: Bus, rows: CheckpointRow[], id: string): Promise<boolean> {
  const reply = await bus.request(
    subjects.stateCheckpoint,
    encodeMessage(CheckpointBatch, { shard: 'b7', batchId: id, rows }),
    { timeoutMs: 30_000 },
  );
  return decodeReply(CheckpointAck, reply.data).ok;
}

function childStats(child: ChildProcess): Promise<{ heapMb: number; eventLoopP99Ms: number }> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as { heapMb: number; eventLoopP99Ms: number }));
    child.send('stats');
  });
}

async function throughPersister(bus: Bus, child: ChildProcess): Promise<RunResult> {
  await childStats(child);
  const cpu0 = cpuSeconds(child.pid!);
  let id = 0;
  const result = await drive('state-persister (NATS → PG)', (rows) =>
    requestCheckpoint(bus, rows, `b7-${id++}`),
  );
  const stats = await childStats(child);
  return {
    ...result,
    cpu: (cpuSeconds(child.pid!) - cpu0) / result.seconds,
    rss: rssMb(child.pid!),
    heap: stats.heapMb,
    eventLoopP99: stats.eventLoopP99Ms,
  };
}

type PeerWrite = (client: pg.PoolClient, shard: string, rows: CheckpointRow[]) => Promise<void>;

async function throughPeer(
  name: string,
  pool: pg.Pool,
  write: PeerWrite,
  totalRows = THROUGHPUT_ROWS,
): Promise<RunResult> {
  // One connection per worker: a COPY transaction must not interleave with another on its client.
  const clients = await Promise.all(Array.from({ length: IN_FLIGHT }, () => pool.connect()));
  try {
    return await drive(
      name,
      async (rows, worker) => {
        await write(clients[worker]!, 'b7', rows);
        return true;
      },
      totalRows,
    );
  } finally {
    for (const c of clients) c.release();
  }
}

/** Changes at STALE_RATE rows/s, cut into a batch every STALE_FLUSH_MS as an agent would. */
async function staleness(bus: Bus): Promise<{ stale: number[]; failures: number; rows: number }> {
  const pending: { row: CheckpointRow; at: number }[] = [];
  const stale: number[] = [];
  const inFlight = new Set<Promise<void>>();
  let failures = 0;
  let emitted = 0;
  let id = 0;
  const total = STALE_RATE * STALE_SECONDS;
  const flush = (): void => {
    while (pending.length > 0) {
      const cut = pending.splice(0, BATCH_ROWS);
      const work = requestCheckpoint(
        bus,
        cut.map((p) => p.row),
        `stale-${id++}`,
      ).then(
        (ok) => {
          const now = performance.now();
          if (ok) for (const p of cut) stale.push(now - p.at);
          else failures += 1;
        },
        () => {
          failures += 1;
        },
      );
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    }
  };
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const flusher = setInterval(flush, STALE_FLUSH_MS);
    const ticker = setInterval(() => {
      // Emit what the clock says is due, so a late tick catches up instead of lowering the rate.
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * STALE_RATE));
      const v = ++version;
      for (; emitted < due; emitted++) {
        const selector = selectors[emitted % INSTANCES]!;
        pending.push({
          at: performance.now(),
          row: {
            selector,
            status: 'registered',
            callId: `s-${selector.slice(0, 12)}@b7`,
            cseq: v,
            expiresAt: Date.now() + 3_600_000,
            lastCode: 200,
            lastAt: Date.now(),
            version: v,
          },
        });
      }
      if (emitted >= total || performance.now() - started > RUN_WALL_MS) {
        clearInterval(ticker);
        clearInterval(flusher);
        flush();
        resolve();
      }
    }, 10);
  });
  await Promise.all([...inFlight]);
  return { stale, failures, rows: emitted };
}

async function loadThroughBus(bus: Bus): Promise<{ seconds: number; instances: number }> {
  const started = performance.now();
  let instances = 0;
  let cursor: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const request: LoadRequest = {
      prefixes: ['0/0'],
      limit: LOAD_PAGE,
      ...(cursor ? { cursor } : {}),
    };
    const reply = await bus.request(subjects.stateLoad, encodeMessage(LoadRequest, request), {
      timeoutMs: 30_000,
    });
    const decoded = decodeReply(LoadPage, reply.data);
    if (!decoded.ok) throw new Error(`load failed: ${decoded.error.code} ${decoded.error.message}`);
    instances += decoded.value.instances.length;
    if (decoded.value.nextCursor === null) break;
    cursor = decoded.value.nextCursor;
  }
  return { seconds: (performance.now() - started) / 1000, instances };
}

async function loadDirect(db: Database): Promise<{ seconds: number; instances: number }> {
  const started = performance.now();
  let instances = 0;
  let cursor: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const p = await loadPage(
      db,
      { prefixes: ['0/0'], limit: LOAD_PAGE, ...(cursor ? { cursor } : {}) },
      LOAD_PAGE,
    );
    instances += p.instances.length;
    if (p.nextCursor === null) break;
    cursor = p.nextCursor;
  }
  return { seconds: (performance.now() - started) / 1000, instances };
}

async function seed(db: Database): Promise<void> {
  for (let i = 0; i < INSTANCES; i += 10_000) {
    const chunk = selectors.slice(i, i + 10_000);
    await db.query(
      `INSERT INTO instances (selector, username, auth_username, domain, registrar_uri, transport,
         mode, password_ciphertext, password_key_id, token_hash)
       SELECT s, 'u-' || left(s, 8), 'u-' || left(s, 8), 'example.com', 'sip:example.com', 'udp',
         'takeover', $2, 'k1', 'hash' FROM unnest($1::text[]) AS s`,
      [chunk, randomBytes(48)],
    );
    await db.query(
      `INSERT INTO devices (selector, device_id, app_id, platform, push_provider, push_token)
       SELECT s, 'phone', 'org.example.phone', 'ios', 'apns', encode(sha256(s::bytea), 'hex')
       FROM unnest($1::text[]) AS s`,
      [chunk],
    );
  }
}

function printRow(r: RunResult): void {
  const l = summary(r.latencies);
  console.log(
    [
      r.name.padEnd(30),
      int(r.rows / r.seconds).padStart(9),
      ms(l.p50).padStart(8),
      ms(l.p99).padStart(8),
      String(r.failures).padStart(5),
      (r.cpu === undefined ? '—' : `${(r.cpu * 100).toFixed(0)}%`).padStart(5),
      (r.rss === undefined ? '—' : r.rss.toFixed(0)).padStart(5),
      (r.heap === undefined ? '—' : r.heap.toFixed(0)).padStart(5),
      (r.eventLoopP99 === undefined ? '—' : ms(r.eventLoopP99)).padStart(7),
    ].join(' '),
  );
}

async function main(): Promise<void> {
  execFileSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' });
  const nats = await startNatsServer({});
  const name = `sipwake_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${PG}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = `${PG}/${name}`;
  const db = await connectPostgres({ connectionString: url, max: 4 });
  const pool = new pg.Pool({ connectionString: url, max: IN_FLIGHT });
  let child: ChildProcess | undefined;
  let bus: Bus | undefined;
  try {
    await migrate(db);
    await seed(db);
    await db.query('ANALYZE');
    child = fork(join(dirname(fileURLToPath(import.meta.url)), 'persister-process.js'), [
      nats.url,
      url,
    ]);
    const started = child;
    await new Promise<void>((resolve, reject) => {
      started.once('message', () => resolve());
      started.once('exit', (code) => reject(new Error(`persister exited ${code}`)));
    });
    execFileSync('taskset', ['-cp', '1', String(child.pid)], { stdio: 'ignore' });
    bus = await connectBus({ kind: 'nats', servers: nats.url, name: 'b7-agent' });

    console.log(
      `B7 — ${int(INSTANCES)} instances; ${int(THROUGHPUT_ROWS)} rows a run in batches of ` +
        `${BATCH_ROWS}, ${IN_FLIGHT} in flight; persister pinned to core 1, generator and ` +
        `peers to core 0, PostgreSQL 15 unpinned (shared server)`,
    );
    // Warm-up: plans, JIT and pool connections, through the persister and the peers.
    const warm = bus;
    await drive('warm-up', (rows) => requestCheckpoint(warm, rows, 'warm'), 20 * BATCH_ROWS);
    await throughPeer('warm-up', pool, unnestUpsert, 16 * BATCH_ROWS);
    await throughPeer('warm-up', pool, copyToStaging, 16 * BATCH_ROWS);
    console.log(
      `${'path'.padEnd(30)} ${'rows/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ` +
        `${'fail'.padStart(5)} ${'cpu'.padStart(5)} ${'rssMB'.padStart(5)} ${'heap'.padStart(5)} ` +
        `${'eld p99'.padStart(7)}`,
    );
    printRow(await throughPersister(bus, child));
    printRow(await throughPeer('bare UNNEST upsert loop', pool, unnestUpsert));
    printRow(await throughPeer('COPY to staging + upsert', pool, copyToStaging));

    const s = await staleness(bus);
    const st = summary(s.stale);
    console.log(
      `staleness at ${int(STALE_RATE)} rows/s for ${STALE_SECONDS} s (batch cut every ` +
        `${STALE_FLUSH_MS} ms): ${int(s.rows)} rows, p50 ${ms(st.p50)} ms, p99 ${ms(st.p99)} ms, ` +
        `max ${ms(st.max)} ms, failures ${s.failures}; persister RSS ${rssMb(child.pid!).toFixed(0)} MB`,
    );
    const viaBus = await loadThroughBus(bus);
    const direct = await loadDirect(db);
    console.log(
      `load of a shard (prefix 0/0, pages of ${LOAD_PAGE}): through ${subjects.stateLoad} ` +
        `${int(viaBus.instances)} instances in ${viaBus.seconds.toFixed(2)} s; the same pages ` +
        `read directly (no bus, peer): ${int(direct.instances)} in ${direct.seconds.toFixed(2)} s`,
    );
  } finally {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.send('stop');
      await exited;
    }
    await bus?.close();
    await pool.end();
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await nats.stop();
  }
}

await main();
