// Agent scale (B2/B3 in BENCHMARKS.md, one agent process): how many instances one
// registrar-agent keeps registered at a real Kamailio, and its memory per instance. N instances
// are seeded straight into PostgreSQL (sealed passwords), the same users into Kamailio's db_text
// subscriber table; state-persister, router and one registrar-agent run as their own processes
// on core 1 (NATS and PostgreSQL real); this script, Kamailio and a private nats-server on core 0.
// Printed: time from the agent's start to N bindings at Kamailio, registrations/s, the agent's
// CPU, RSS and V8 heap (after a full GC, through probe.mjs) per instance over an agent started
// on an empty database, its idle CPU between refreshes, and — with --refresh — one whole
// refresh wave measured (use a short --expires; 600 s means a 9-minute wait).
// Run: npx nx run-many -t build && npm run bench:agent-scale -w @sipwake/e2e [-- --instances 100000]
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, startKamailio } from '@sipwake/testkit';
import { openBenchInfra, sharedEnv } from './lib/infra.mjs';
import { cpuSeconds, fixed, int, loadAverage, percent, printTable, rssMb } from './lib/measure.mjs';
import { scaleAccounts, seedInstances } from './lib/seed.mjs';
import { startService, stopAll } from './lib/services.mjs';

const { values: args } = parseArgs({
  options: {
    instances: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '5000' },
    expires: { type: 'string', default: '600' },
    'idle-seconds': { type: 'string', default: '20' },
    refresh: { type: 'boolean', default: false },
  },
});
const N = Number(args.instances);
const RATE = Number(args.rate);
const EXPIRES_S = Number(args.expires);
const IDLE_S = Number(args['idle-seconds']);
const limits = { N: [1, 100_000], RATE: [1, 50_000], EXPIRES_S: [60, 86_400], IDLE_S: [1, 600] };
for (const [name, [min, max]] of Object.entries(limits)) {
  const value = { N, RATE, EXPIRES_S, IDLE_S }[name];
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name}: a whole number ${min}–${max} is needed, not ${value}`);
  }
}
const DOMAIN = 'scale.test';
const REFRESH_MARGIN_S = 60;
// registrar-agent README: the next REGISTER after a 2xx is at max(granted − margin, granted / 2).
const REFRESH_AFTER_S = Math.max(EXPIRES_S - REFRESH_MARGIN_S, EXPIRES_S / 2);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `kamcmd stats.get_statistics <group>:` as { name: number }. */
async function kamailioStats(kamailio, group) {
  const text = await kamailio.rpc('stats.get_statistics', `${group}:`);
  const stats = {};
  for (const match of text.matchAll(/([\w-]+):([\w-]+) = (\d+)/g))
    stats[match[2]] = Number(match[3]);
  return stats;
}

/** CPU seconds of Kamailio: its main process and every child it forked. */
function kamailioCpu(kamailio) {
  const main = Number(readFileSync(join(kamailio.dir, 'kamailio.pid'), 'utf8').trim());
  let total = cpuSeconds(main);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === main) total += cpuSeconds(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** Polls `predicate` every 250 ms until it holds; false when `timeoutMs` passed first. */
async function pollUntil(predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return true;
    await sleep(250);
  }
  return false;
}

async function main() {
  execFileSync('taskset', ['-a', '-cp', '0', String(process.pid)], { stdio: 'ignore' });
  const loadBefore = loadAverage();
  const infra = await openBenchInfra('scale');
  const services = [];
  let kamailio;
  let agent;
  try {
    const accounts = scaleAccounts(N, DOMAIN);
    kamailio = await startKamailio({
      users: accounts,
      domain: DOMAIN,
      transports: ['udp'],
      logLevel: 1,
      children: 4,
      sharedMemoryMb: Math.max(128, Math.ceil(N / 100_000) * 512),
      registrar: { maxExpiresS: 86_400 },
    });
    const env = sharedEnv(infra, 'warn');
    const routerPort = await freePort({ protocol: 'udp' });
    const start = (name, own) =>
      startService(name, {
        env: { ...env, ...own },
        core: 1,
        logFile: join(infra.dir, `${name}-${services.length}.log`),
        startTimeoutMs: 300_000,
      });
    services.push(await start('state-persister', { SIPWAKE_HEALTH_PORT: '0' }));
    services.push(await start('router', { SIPWAKE_SIP_LISTEN: `udp:127.0.0.1:${routerPort}` }));
    const agentEnv = {
      SIPWAKE_SIP_PUBLIC_PORT: String(routerPort),
      SIPWAKE_REGISTRATION_PER_SECOND: String(RATE),
      SIPWAKE_REGISTRATION_REFRESH_MARGIN_MS: String(REFRESH_MARGIN_S * 1000),
    };

    // The baseline: the same agent on the still empty database, idle after start, heap after a
    // full GC; then the instances are seeded.
    const empty = await start('registrar-agent', agentEnv);
    await sleep(3_000);
    const baseline = await empty.probe({ gc: true });
    baseline.rssMb = rssMb(empty.pid);
    await empty.stop();
    const seedStart = performance.now();
    await seedInstances(infra.db, infra.keyRing, accounts, {
      registrarUri: `sip:${kamailio.host}:${kamailio.port}`,
      expiresS: EXPIRES_S,
    });
    const seedS = (performance.now() - seedStart) / 1000;

    const [router] = services.slice(1);
    const agentSpawnedAt = performance.now();
    const cpuAt = (pid) => cpuSeconds(pid);
    agent = await start('registrar-agent', agentEnv);
    const startedAt = performance.now();
    const loadS = (startedAt - agentSpawnedAt) / 1000;
    const cpu0 = {
      agent: cpuAt(agent.pid),
      router: cpuAt(router.pid),
      kamailio: kamailioCpu(kamailio),
    };
    await agent.probe({ reset: true });
    let peak = { contacts: 0 };
    const progress = [];
    const bound = await pollUntil(
      async () => {
        const usrloc = await kamailioStats(kamailio, 'usrloc');
        const contacts = usrloc['location_contacts'] ?? usrloc['location-contacts'] ?? 0;
        progress.push({ t: (performance.now() - startedAt) / 1000, contacts });
        peak = { contacts };
        return contacts >= N;
      },
      Math.max(300_000, N * 5),
    );
    const boundAt = performance.now();
    const registerS = (boundAt - startedAt) / 1000;
    const registerCpu = {
      agent: cpuAt(agent.pid) - cpu0.agent,
      router: cpuAt(router.pid) - cpu0.router,
      kamailio: kamailioCpu(kamailio) - cpu0.kamailio,
    };
    const duringRegistration = await agent.probe();
    const registrar = await kamailioStats(kamailio, 'registrar');

    // BENCH_HEAP_SNAPSHOT=<file> keeps a heap snapshot of the agent holding N instances.
    const snapshot = process.env.BENCH_HEAP_SNAPSHOT;
    const settled = await agent.probe({ gc: true, ...(snapshot ? { snapshot } : {}) });
    const agentRss = rssMb(agent.pid);

    // Between refreshes nothing is due for REFRESH_AFTER_S after each binding; or, with
    // --refresh, the window runs from here until Kamailio accepted N more REGISTERs.
    const w0 = { agent: cpuAt(agent.pid), router: cpuAt(router.pid), at: performance.now() };
    const accepted0 = (await kamailioStats(kamailio, 'registrar'))['accepted_regs'] ?? 0;
    let firstRefreshS;
    let refreshed = false;
    if (args.refresh) {
      refreshed = await pollUntil(
        async () => {
          const accepted = (await kamailioStats(kamailio, 'registrar'))['accepted_regs'] ?? 0;
          if (accepted > accepted0) firstRefreshS ??= (performance.now() - boundAt) / 1000;
          return accepted >= accepted0 + N;
        },
        (REFRESH_AFTER_S + registerS) * 1000 + 120_000,
      );
    } else {
      await sleep(Math.min(IDLE_S, Math.max(1, REFRESH_AFTER_S - registerS - 5)) * 1000);
    }
    const windowS = (performance.now() - w0.at) / 1000;
    const windowCpu = {
      agent: (cpuAt(agent.pid) - w0.agent) / windowS,
      router: (cpuAt(router.pid) - w0.router) / windowS,
    };
    const refreshes =
      ((await kamailioStats(kamailio, 'registrar'))['accepted_regs'] ?? 0) - accepted0;
    const rows = await infra.db.query(
      'SELECT status, count(*)::int AS n FROM registrations GROUP BY status ORDER BY status',
    );
    const warn = services
      .concat(agent)
      .map((s) => `${s.name} ${s.counts().warnings}/${s.counts().errors}`);

    console.log(
      `\nAgent scale — N = ${int(N)} instances (seeded in ${fixed(seedS, 1)} s), requested expiry ` +
        `${EXPIRES_S} s, throttle ${int(RATE)} REGISTER/s, digest MD5 qop=auth at Kamailio 5.6 (db_text, ` +
        `4 UDP children).\nagent, router, state-persister on core 1; this script, Kamailio, nats-server ` +
        `on core 0; PostgreSQL unpinned. Load average before: ${loadBefore}, after: ${loadAverage()}.\n`,
    );
    printTable([
      {
        'bindings at Kamailio': `${int(peak.contacts)}${bound ? '' : ' (timed out)'}`,
        'agent load s': fixed(loadS, 1),
        'start → all bound s': fixed(registerS, 1),
        'registrations/s': int(peak.contacts / registerS),
        'agent cpu': percent(registerCpu.agent / registerS),
        'agent cpu ms each': fixed((registerCpu.agent * 1000) / Math.max(1, peak.contacts), 3),
        'router cpu': percent(registerCpu.router / registerS),
        'kamailio cpu': percent(registerCpu.kamailio / registerS),
        'agent eld p99 ms': fixed(duringRegistration.eventLoopP99Ms, 1),
        'accepted / rejected': `${int(registrar['accepted_regs'])} / ${int(registrar['rejected_regs'])}`,
      },
    ]);
    console.log('');
    const perInstance = (now, before) => fixed((now - before) / N, 0);
    printTable([
      {
        agent: 'empty (baseline)',
        'rss MB': fixed(baseline.rssMb, 0),
        'heap MB (after GC)': fixed(baseline.heapUsedBytes / 2 ** 20, 1),
        'rss B / instance': '—',
        'heap B / instance': '—',
      },
      {
        agent: `${int(N)} registered`,
        'rss MB': fixed(agentRss, 0),
        'heap MB (after GC)': fixed(settled.heapUsedBytes / 2 ** 20, 1),
        'rss B / instance': perInstance(agentRss * 2 ** 20, baseline.rssMb * 2 ** 20),
        'heap B / instance': perInstance(settled.heapUsedBytes, baseline.heapUsedBytes),
      },
    ]);
    const projected = ((registerCpu.agent / N) * N) / REFRESH_AFTER_S;
    if (args.refresh) {
      console.log(
        `\nrefresh wave (expiry ${EXPIRES_S} s, refresh due ${fixed(REFRESH_AFTER_S, 0)} s after each ` +
          `binding): ${refreshed ? 'all' : 'NOT all'} ${int(N)} refreshed, ${int(refreshes)} REGISTERs ` +
          `accepted; the first ${fixed(firstRefreshS, 1)} s and the last ${fixed(windowS, 1)} s after all ` +
          `were bound. Over that window: agent ${percent(windowCpu.agent)}, router ` +
          `${percent(windowCpu.router)} of a core; ${fixed((windowCpu.agent * windowS * 1000) / N, 3)} ms ` +
          `agent CPU per instance refreshed`,
      );
    } else {
      const projected = (registerCpu.agent / N) * (N / REFRESH_AFTER_S);
      console.log(
        `\nbetween refreshes (${fixed(windowS, 0)} s, ${int(refreshes)} REGISTERs accepted): agent ` +
          `${percent(windowCpu.agent)}, router ${percent(windowCpu.router)} of a core; refreshes every ` +
          `${fixed(REFRESH_AFTER_S, 0)} s → refresh CPU projected from the registration cost: ` +
          `${percent(projected)} of a core (--refresh measures it)`,
      );
    }
    console.log(
      `registrations table: ${rows.rows.map((r) => `${r.status} ${int(r.n)}`).join(', ')}; ` +
        `service log warnings/errors: ${warn.join(', ')}`,
    );
    const third = progress[Math.floor(progress.length / 3)];
    if (third !== undefined) {
      console.log(`progress: ${int(third.contacts)} bindings after ${fixed(third.t, 1)} s`);
    }
  } finally {
    if (agent !== undefined) await agent.stop();
    await stopAll(services);
    await kamailio?.stop();
    await infra.close();
  }
}

await main();
