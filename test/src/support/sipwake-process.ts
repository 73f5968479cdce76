// sipwake services as an operator runs them: `node apps/cli/dist/main.js start <service>…`,
// configured only by SIPWAKE_* variables (the test's own are not passed on), started when it
// says `sipwake: ready`, stopped with SIGTERM. Its output is kept for a failing test to show.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const repoRoot = resolve(__dirname, '../../..');
const cli = join(repoRoot, 'apps/cli/dist/main.js');

export interface SipwakeProcess {
  readonly name: string;
  /** `service endpoint url` lines printed at start: `router sip udp udp://127.0.0.1:5060`. */
  readonly endpoints: readonly string[];
  /** Every line it printed so far (JSON log lines and its `sipwake:` lines). */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
}

function baseEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('SIPWAKE_')),
  );
}

export async function startSipwakeProcess(
  services: readonly string[],
  env: Readonly<Record<string, string>>,
  startTimeoutMs = 60_000,
): Promise<SipwakeProcess> {
  const name = services.length === 0 ? 'sipwake' : services.join('+');
  const child: ChildProcess = spawn(process.execPath, [cli, 'start', ...services], {
    cwd: repoRoot,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const endpoints: string[] = [];
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const ready = new Promise<void>((done) => {
    createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      lines.push(line);
      if (line === 'sipwake: ready') done();
      else if (line.startsWith('sipwake: ')) endpoints.push(line.slice('sipwake: '.length));
    });
  });
  const handle: SipwakeProcess = {
    name,
    endpoints,
    output: () => lines.join('\n'),
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        exited,
        new Promise<'late'>((done) => (timer = setTimeout(() => done('late'), graceMs))),
      ]);
      clearTimeout(timer);
      if (code !== 'late') return code;
      child.kill('SIGKILL');
      await exited;
      return null;
    },
  };
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    ready.then(() => 'ready' as const),
    exited.then(() => 'exited' as const),
    new Promise<'timeout'>((done) => (timer = setTimeout(() => done('timeout'), startTimeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome !== 'ready') {
    await handle.stop(2_000);
    throw new Error(`sipwake ${name} did not start (${outcome}):\n${lines.slice(-30).join('\n')}`);
  }
  return handle;
}
