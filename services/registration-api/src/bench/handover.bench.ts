// B8 (BENCHMARKS.md): registration-api hand-overs (validate, seal, commit, announce) per second
// and their latency, beside fastify hello-world and bare node:http taking the same POSTs in the
// same run. The component runs in its own process pinned to core 1, this load generator on
// core 0; the component's CPU is read from /proc/<pid>/stat. Real PostgreSQL (a throw-away
// database, dropped at the end) and the in-process bus. Bounded in count and wall-clock time;
// prints figures, asserts nothing.
// Run: `npm run bench -w @sipwake/registration-api [-- --count 20000 --concurrency 64]`.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connectPostgres, migrate } from '@sipwake/db';
import type { FromServer, ServerMode, ToServer } from './bench-server.js';
import { cpuSecondsOf, percentile, runLoad } from './load.js';

const PG = 'postgres://postgres@127.0.0.1:5432';
const START_TIMEOUT_MS = 30_000;

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '64' },
    seconds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '2000' },
    pool: { type: 'string', default: '16' },
    components: { type: 'string', default: 'node-http,fastify-hello,sipwake' },
    /** A directory: the components write V8 CPU profiles there (`node --cpu-prof`). */
    profile: { type: 'string' },
  },
});
const COUNT = Number(args.count);
const CONCURRENCY = Number(args.concurrency);
const MAX_MS = Number(args.seconds) * 1000;
const WARMUP = Number(args.warmup);
const POOL = Number(args.pool);
const MODES: readonly ServerMode[] = ['node-http', 'fastify-hello', 'sipwake'];
const COMPONENTS = args.components
  .split(',')
  .map((name) => name.trim())
  .filter((name): name is ServerMode => (MODES as readonly string[]).includes(name));

function handOverBody(username: string): string {
  return JSON.stringify({
    account: {
      username,
      domain: 'bench.example.com',
      password: 'bench-password-0123456789',
      registrar: 'sip:registrar.bench.example.com',
      transport: 'tcp',
      expiresSeconds: 600,
    },
    device: {
      id: 'phone-1',
      appId: 'com.example.phone',
      platform: 'ios',
      pushProvider: 'apns',
      token: 'a1b2c3d4e5f6a7b8c9d0',
      voipToken: 'voip-e5f6a7b8c9d0',
      topic: 'com.example.phone.voip',
    },
  });
}

interface Row {
  name: string;
  perSecond: number;
  p50: number;
  p99: number;
  failures: number;
  sent: number;
  cpuPercent: number;
  rssMb: number;
  heapMb: number;
  eventLoopP99Ms: number;
  note: string;
}

/** Starts the component on core 1 and waits for its port. */
function startServer(
  mode: ServerMode,
  databaseUrl: string,
): Promise<{ child: ChildProcess; port: number }> {
  const serverPath = fileURLToPath(new URL('./bench-server.js', import.meta.url));
  const profile =
    args.profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${args.profile}`];
  const child = spawn(
    'taskset',
    ['-c', '1', process.execPath, ...profile, serverPath, mode, databaseUrl, String(POOL)],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${mode} did not start within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${mode} exited with ${code} before it listened`));
    });
    child.on('message', (message: FromServer) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, port: message.port });
      }
    });
  });
}

function ask(child: ChildProcess, message: ToServer): void {
  child.send(message);
}

function statsOf(child: ChildProcess): Promise<Extract<FromServer, { type: 'stats' }>> {
  return new Promise((resolve) => {
    const listener = (message: FromServer): void => {
      if (message.type === 'stats') {
        child.off('message', listener);
        resolve(message);
      }
    };
    child.on('message', listener);
    ask(child, { type: 'stats' });
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    ask(child, { type: 'stop' });
  });
}

async function measure(name: ServerMode, databaseUrl: string, runId: string): Promise<Row> {
  const { child, port } = await startServer(name, databaseUrl);
  try {
    const body = (prefix: string) => (i: number) => handOverBody(`${prefix}-${i}`);
    const warm = await runLoad({
      port,
      path: '/v1/instances',
      count: WARMUP,
      concurrency: CONCURRENCY,
      maxMs: MAX_MS,
      body: body(`warm-${runId}`),
    });
    ask(child, { type: 'reset' });
    const cpuBefore = cpuSecondsOf(child.pid!);
    const run = await runLoad({
      port,
      path: '/v1/instances',
      count: COUNT,
      concurrency: CONCURRENCY,
      maxMs: MAX_MS,
      body: body(`b8-${runId}`),
    });
    const cpu = cpuSecondsOf(child.pid!) - cpuBefore;
    const stats = await statsOf(child);
    let note = run.firstFailure === undefined ? '' : `first failure: ${run.firstFailure}`;
    if (name === 'sipwake') {
      const db = await connectPostgres({ connectionString: databaseUrl, max: 1 });
      const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM instances');
      await db.close();
      const expected = warm.ok + run.ok;
      note += `${note ? '; ' : ''}rows ${Number(rows[0]?.n)} of ${expected} answered 201`;
    }
    return {
      name,
      perSecond: run.ok / run.seconds,
      p50: percentile(run.latencies, 50),
      p99: percentile(run.latencies, 99),
      failures: run.failures + warm.failures,
      sent: run.sent,
      cpuPercent: (100 * cpu) / run.seconds,
      rssMb: stats.rssMb,
      heapMb: stats.heapMb,
      eventLoopP99Ms: stats.eventLoopP99Ms,
      note,
    };
  } finally {
    await stopServer(child);
  }
}

async function withThrowawayDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `sipwake_bench_${randomBytes(6).toString('hex')}`;
  const admin = await connectPostgres({ connectionString: `${PG}/postgres`, max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = `${PG}/${name}`;
    const db = await connectPostgres({ connectionString: url, max: 1 });
    await migrate(db);
    await db.close();
    return await fn(url);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  }
}

const fixed = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function print(rows: Row[]): void {
  const header = [
    'component',
    'req/s',
    'p50 ms',
    'p99 ms',
    'failures',
    'sent',
    'CPU % of core',
    'RSS MB',
    'heap MB',
    'loop p99 ms',
  ];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${fixed(r.perSecond, 0)} | ${fixed(r.p50)} | ${fixed(r.p99)} | ${r.failures} | ${r.sent} | ${fixed(r.cpuPercent, 0)} | ${fixed(r.rssMb, 0)} | ${fixed(r.heapMb, 0)} | ${fixed(r.eventLoopP99Ms)} |`,
    );
  }
  for (const r of rows) if (r.note) console.log(`${r.name}: ${r.note}`);
}

async function main(): Promise<void> {
  execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  const runId = randomBytes(3).toString('hex');
  console.log(
    `B8 hand-over: ${COUNT} requests (after ${WARMUP} warm-up), ${CONCURRENCY} in flight over keep-alive, ` +
      `at most ${MAX_MS / 1000} s each; component on core 1 (taskset -c 1), load generator on core 0; ` +
      `PostgreSQL unpinned on the same machine (pool ${POOL}); in-process bus.`,
  );
  const rows = await withThrowawayDatabase(async (url) => {
    const measured: Row[] = [];
    for (const mode of COMPONENTS) {
      measured.push(await measure(mode, url, runId));
    }
    return measured;
  });
  print(rows);
  console.log('target (BENCHMARKS.md B8): sipwake >= 8,000 hand-overs/s, p99 <= 20 ms, 0 failures');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
