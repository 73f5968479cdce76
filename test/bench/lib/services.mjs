// sipwake services as their own processes, as an operator runs them:
// `node apps/cli/dist/main.js start <service>`, pinned to a core with taskset, configured only
// through SIPWAKE_* variables (the parent's own SIPWAKE_* are not passed on), logs (pino JSON
// lines) kept in a file, with the heap/event-loop probe of probe.mjs on an IPC channel.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../..');
const cli = join(repoRoot, 'apps/cli/dist/main.js');
const probe = join(here, 'probe.mjs');

function baseEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('SIPWAKE_')),
  );
}

/**
 * Starts `sipwake start <name>` on `core`; resolves once it is ready (bounded by
 * `startTimeoutMs`), rejects with the tail of its output when it exits or times out first.
 */
export async function startService(name, { env, core, logFile, startTimeoutMs = 30_000 }) {
  // BENCH_NODE_FLAGS adds node flags to every service (`--cpu-prof --cpu-prof-dir=/tmp/prof`).
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const node = [process.execPath, ...flags, '--expose-gc', '--import', probe, cli, 'start', name];
  const child = spawn('taskset', ['-c', String(core), ...node], {
    cwd: repoRoot,
    env: { ...baseEnv(), SIPWAKE_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const log = createWriteStream(logFile);
  const tail = [];
  let warnings = 0;
  let errors = 0;
  let started = false;
  let onStarted;
  const ready = new Promise((resolveStarted) => (onStarted = resolveStarted));
  const keep = (line) => {
    log.write(`${line}\n`);
    tail.push(line);
    if (tail.length > 20) tail.shift();
  };
  createInterface({ input: child.stdout }).on('line', (line) => {
    keep(line);
    if (line.includes('"level":40')) warnings += 1;
    if (line.includes('"level":50') || line.includes('"level":60')) errors += 1;
    if (!started && line.includes('"msg":"sipwake started"')) {
      started = true;
      onStarted();
    }
  });
  // `sipwake: ready` on stderr comes at any log level, after every service started.
  createInterface({ input: child.stderr }).on('line', (line) => {
    keep(line);
    if (!started && line === 'sipwake: ready') {
      started = true;
      onStarted();
    }
  });
  const exited = new Promise((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  const probes = [];
  child.on('message', (message) => probes.shift()?.(message));

  let timer;
  const outcome = await Promise.race([
    ready.then(() => 'started'),
    exited.then(() => 'exited'),
    new Promise((r) => (timer = setTimeout(() => r('timeout'), startTimeoutMs))),
  ]);
  clearTimeout(timer);
  const handle = {
    name,
    pid: child.pid,
    counts: () => ({ warnings, errors }),
    tail: () => tail.join('\n'),
    /** V8 heap (after a full GC with `gc`) and event-loop delay since the last `reset`. */
    probe(options = {}) {
      return new Promise((resolveProbe, reject) => {
        const t = setTimeout(() => reject(new Error(`${name}: no probe answer`)), 120_000);
        probes.push((m) => {
          clearTimeout(t);
          resolveProbe(m);
        });
        child.send({ probe: name, ...options });
      });
    },
    /** SIGTERM (the service drains), SIGKILL after `graceMs`. */
    async stop(graceMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      let kill;
      const result = await Promise.race([
        exited,
        new Promise((r) => (kill = setTimeout(() => r(undefined), graceMs))),
      ]);
      clearTimeout(kill);
      if (result === undefined) {
        child.kill('SIGKILL');
        await exited;
      }
      await new Promise((r) => log.end(r));
      return result ?? { code: null, signal: 'SIGKILL' };
    },
  };
  if (outcome !== 'started') {
    await handle.stop(2_000);
    throw new Error(`${name} did not start (${outcome}):\n${handle.tail()}`);
  }
  return handle;
}

/** Stops services in the reverse of the given order, each one bounded; never throws. */
export async function stopAll(handles) {
  for (const handle of [...handles].reverse()) {
    try {
      await handle.stop();
    } catch (error) {
      console.error(`stopping ${handle.name}: ${String(error)}`);
    }
  }
}
