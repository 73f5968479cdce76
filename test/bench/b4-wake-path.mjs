// B4 (BENCHMARKS.md): the wake path — an INVITE at the router → the push request at a local
// APNs server, on real NATS and PostgreSQL, every sipwake service its own process:
// state-persister, push-notifier, registrar-agent, registration-api and router pinned to core 1;
// this generator, the APNs server, the registrar stub and a private nats-server on core 0;
// PostgreSQL (the shared server) unpinned. N instances are handed over through the API (their registrar: a stub answering
// 200), then INVITEs go to sip:<selector>@router at a fixed rate, each timed to the APNs
// server's receipt of the push that names its Call-ID. The same INVITEs then go through a
// minimal Node UDP → HTTP/2 forwarder to the same APNs server (the floor).
// Run: npx nx run-many -t build && npm run bench:b4 -w @sipwake/e2e [-- --rates 50,200 --seconds 20]
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { freePort, generateApnsKey, startApnsServer, writeSecretFile } from '@sipwake/testkit';
import { createPushClock, runCallPhase } from './lib/call-phase.mjs';
import { openBenchInfra, sharedEnv } from './lib/infra.mjs';
import { cpuWindow, fixed, int, loadAverage, percent, printTable } from './lib/measure.mjs';
import { startService, stopAll } from './lib/services.mjs';
import { startRegistrarStub } from './lib/sip.mjs';

const { values: args } = parseArgs({
  options: {
    instances: { type: 'string', default: '200' },
    rates: { type: 'string', default: '50,200' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '400' },
  },
});
const INSTANCES = Number(args.instances);
const RATES = args.rates.split(',').map(Number);
const SECONDS = Number(args.seconds);
const WARMUP = Number(args.warmup);
const TOPIC = 'com.sipwake.bench';
const IDLE_MS = 5_000;
for (const [name, value] of Object.entries({ INSTANCES, SECONDS, WARMUP, ...RATES })) {
  if (!Number.isInteger(value) || value < 1 || value > 100_000) {
    throw new Error(`${name}: a whole number 1–100000 is needed, not ${value}`);
  }
}
// T1 outlasts the measured phases, so that no call's 480 lands in one; the calls end (480,
// ACKed) before the floor runs.
const T1_MS = (RATES.length * SECONDS + WARMUP / RATES[0]) * 1000 + 15_000;

const hex = (bytes) => randomBytes(bytes).toString('hex');
const waitUntil = async (what, predicate, timeoutMs) => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** Hands N accounts over through POST /v1/instances, 16 at a time; returns their selectors. */
async function handOver(apiPort, registrarPort, count) {
  const selectors = [];
  let next = 0;
  const one = async (i) => {
    const response = await fetch(`http://127.0.0.1:${apiPort}/v1/instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        account: {
          username: `b4user${i}`,
          domain: 'b4.test',
          password: `pw-${hex(8)}`,
          registrar: `sip:127.0.0.1:${registrarPort}`,
        },
        mode: 'always',
        device: {
          id: 'phone',
          appId: TOPIC,
          platform: 'ios',
          pushProvider: 'apns',
          token: hex(32),
          voipToken: hex(32),
          topic: TOPIC,
        },
      }),
    });
    if (response.status !== 201) {
      throw new Error(`hand-over ${i}: ${response.status} ${await response.text()}`);
    }
    selectors.push((await response.json()).selector);
  };
  const worker = async () => {
    while (next < count) await one(next++);
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return selectors;
}

async function startFloor(settings) {
  const child = spawn(
    'taskset',
    [
      '-c',
      '1',
      process.execPath,
      join(import.meta.dirname, 'lib/floor-forwarder.mjs'),
      JSON.stringify(settings),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const line = await new Promise((resolve) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', () => resolve('exited'));
  });
  if (line !== 'ready') throw new Error('the floor forwarder did not start');
  return {
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function phaseRow(r) {
  return {
    path: r.label,
    INVITEs: int(r.sent),
    'INVITE/s': fixed(r.rate, 0),
    pushes: int(r.pushed),
    lost: int(r.lost),
    'p50 ms': fixed(r.push.p50),
    'p99 ms': fixed(r.push.p99),
    'max ms': fixed(r.push.max),
    '180 p50': fixed(r.ring.p50),
    '180 p99': fixed(r.ring.p99),
    'kernel drops': int(r.kernelDrops),
  };
}

async function main() {
  execFileSync('taskset', ['-a', '-cp', '0', String(process.pid)], { stdio: 'ignore' });
  const loadBefore = loadAverage();
  const infra = await openBenchInfra('b4');
  const pushClock = createPushClock();
  const services = [];
  let apns;
  let registrar;
  let floor;
  try {
    const key = generateApnsKey();
    const keyFile = await writeSecretFile(join(infra.dir, 'apns.p8'), key.privateKeyPem);
    apns = await startApnsServer({ keys: [key], topics: [TOPIC], onPush: pushClock.onPush });
    const caFile = join(infra.dir, 'apns-ca.pem');
    await writeFile(caFile, apns.ca);
    registrar = await startRegistrarStub();
    const routerPort = await freePort({ protocol: 'udp' });
    const apiPort = await freePort({ protocol: 'tcp' });
    const env = sharedEnv(infra);
    const start = (name, own) =>
      startService(name, {
        env: { ...env, ...own },
        core: 1,
        logFile: join(infra.dir, `${name}.log`),
      }).then((handle) => (services.push(handle), handle));
    await start('state-persister', { SIPWAKE_HEALTH_PORT: '0' });
    const notifier = await start('push-notifier', {
      SIPWAKE_APNS_BASE_URL: apns.url,
      SIPWAKE_APNS_KEY_FILE: keyFile,
      SIPWAKE_APNS_KEY_ID: key.keyId,
      SIPWAKE_APNS_TEAM_ID: key.teamId,
      SIPWAKE_APNS_CA_FILE: caFile,
    });
    const agent = await start('registrar-agent', {
      SIPWAKE_SIP_PUBLIC_PORT: String(routerPort),
      SIPWAKE_REGISTRATION_PER_SECOND: '1000',
      SIPWAKE_CALLS_WAKE_T1_MS: String(T1_MS),
    });
    await start('registration-api', {
      SIPWAKE_API_PORT: String(apiPort),
      SIPWAKE_RATE_LIMIT_PER_MINUTE: '1000000',
    });
    const router = await start('router', { SIPWAKE_SIP_LISTEN: `udp:127.0.0.1:${routerPort}` });

    const handOverStart = performance.now();
    const selectors = await handOver(apiPort, registrar.port, INSTANCES);
    const handOverS = (performance.now() - handOverStart) / 1000;
    await waitUntil(
      `${INSTANCES} registrations at the stub`,
      () => registrar.registeredUsers() >= INSTANCES,
      120_000,
    );
    const registeredS = (performance.now() - handOverStart) / 1000;

    const pids = { router: router.pid, agent: agent.pid, notifier: notifier.pid };
    const phase = (label, targetPort, rate, count, withPids = {}) =>
      runCallPhase({ label, targetPort, selectors, count, rate, pushClock, pids: withPids });
    const callers = [];
    const measured = [];
    callers.push((await phase('warm-up', routerPort, RATES[0], WARMUP)).caller);
    // What the services burn with no call (heartbeats, timers, metrics), netted out below.
    const idleWindow = cpuWindow(pids);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const idle = idleWindow();
    for (const rate of RATES) {
      for (const s of services) await s.probe({ reset: true });
      const run = await phase(`sipwake @ ${rate}/s`, routerPort, rate, rate * SECONDS, pids);
      callers.push(run.caller);
      run.probes = {};
      for (const [n, s] of Object.entries({ router, agent, notifier }))
        run.probes[n] = await s.probe();
      measured.push(run);
    }
    // Let the calls end (T1 → 480, ACKed) so that core 1 is quiet for the floor.
    // (An INVITE the kernel dropped before the router read it has no call to end.)
    const allCalls = callers
      .flatMap((c) => [...c.calls.values()])
      .filter((c) => c.ringingAt !== undefined);
    await waitUntil(
      'the calls to end',
      () => allCalls.every((c) => c.finalStatus !== undefined),
      T1_MS + 30_000,
    ).catch((error) => console.error(String(error)));

    const floorPort = await freePort({ protocol: 'udp' });
    floor = await startFloor({
      port: floorPort,
      apnsUrl: apns.url,
      caFile,
      keyFile,
      keyId: key.keyId,
      teamId: key.teamId,
      topic: TOPIC,
      token: hex(32),
    });
    callers.push((await phase('warm-up', floorPort, RATES[0], WARMUP)).caller);
    const floorRuns = [];
    for (const rate of RATES) {
      const run = await phase(`floor @ ${rate}/s`, floorPort, rate, rate * SECONDS, {
        floor: floor.pid,
      });
      callers.push(run.caller);
      floorRuns.push(run);
    }

    console.log(
      `\nB4 wake path — ${int(INSTANCES)} instances handed over in ${fixed(handOverS, 1)} s, all registered ` +
        `after ${fixed(registeredS, 1)} s; INVITEs for ${SECONDS} s at each rate (after ${int(WARMUP)} ` +
        `warm-up), timed from the send to the APNs server's receipt of the push naming the Call-ID.\n` +
        `sipwake services (and later the floor) on core 1; generator, APNs server, registrar stub on ` +
        `core 0 with the private nats-server (it inherits the generator's affinity); PostgreSQL ` +
        `unpinned. Load average before: ${loadBefore}, ` +
        `after: ${loadAverage()}.\n`,
    );
    printTable([...measured, ...floorRuns].map(phaseRow));
    console.log('');
    const cpuRows = [];
    for (const run of measured) {
      for (const n of Object.keys(pids)) {
        cpuRows.push({
          rate: `${int(run.rate)}/s`,
          component: n,
          'cpu (core share)': percent(run.cpu[n]),
          'idle share': percent(idle[n]),
          'cpu ms per INVITE (net of idle)': fixed(((run.cpu[n] - idle[n]) * 1000) / run.rate, 3),
          'rss MB': fixed(run.probes[n].rssBytes / 2 ** 20, 0),
          'heap MB': fixed(run.probes[n].heapUsedBytes / 2 ** 20, 0),
          'event-loop p99 ms': fixed(run.probes[n].eventLoopP99Ms),
        });
      }
    }
    for (const run of floorRuns) {
      cpuRows.push({
        rate: `${int(run.rate)}/s`,
        component: 'floor',
        'cpu (core share)': percent(run.cpu.floor),
        'idle share': '—',
        'cpu ms per INVITE (net of idle)': fixed((run.cpu.floor * 1000) / run.rate, 3),
        'rss MB': '—',
        'heap MB': '—',
        'event-loop p99 ms': '—',
      });
    }
    printTable(cpuRows);
    const refused = [...measured, ...floorRuns].reduce((sum, r) => sum + r.pushRefused, 0);
    const notified = measured.reduce((sum, r) => sum + r.pushSentStatus, 0);
    const sent = measured.reduce((sum, r) => sum + r.sent, 0);
    const logs = services
      .map((s) => `${s.name} ${s.counts().warnings}/${s.counts().errors}`)
      .join(', ');
    console.log(
      `\n180 Push-Notification-Sent: ${int(notified)} of ${int(sent)} INVITEs; pushes answered other ` +
        `than 200: ${refused}; APNs sessions: ${apns.sessions()}; service log warnings/errors: ${logs}`,
    );
    for (const r of measured) {
      const met = r.lost === 0 && r.kernelDrops === 0 && r.push.p50 <= 2 && r.push.p99 <= 10;
      console.log(
        `${r.label}: target (p50 ≤ 2 ms, p99 ≤ 10 ms, 0 lost, 0 drops) ${met ? 'met' : 'NOT met'}`,
      );
    }
    for (const caller of callers) await caller.close();
  } finally {
    await floor?.stop();
    await stopAll(services);
    await registrar?.close();
    await apns?.stop();
    await infra.close();
  }
}

await main();
