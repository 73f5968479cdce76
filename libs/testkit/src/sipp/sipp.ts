// Running SIPp 3.6 scenarios against the code under test, on a free port on loopback, bounded
// in time: `-timeout Ns -timeout_error` makes a hung scenario exit 255 (PEERS.md), and a kill
// from here follows shortly after. Statistics, unexpected messages and the message trace are
// kept in a temp dir and returned.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BadOptionsError, PeerStartError } from '../errors.js';
import { makeTempDir, readTail, removeDir } from '../files.js';
import { describeExit, startPeerProcess, waitWhileRunning } from '../peer-process.js';
import { freePort } from '../ports.js';
import { isPortBound } from '../proc-net.js';
import { describeSippExit, SippExit } from './exit-codes.js';
import { parseSippCounts, parseSippStats, type SippStats } from './stats.js';

export interface SippOptions {
  /** Scenario XML text (starts with `<`), or the path of a scenario file. */
  readonly scenario: string;
  /** Out-of-call scenario (`-oocsf`), text or path. */
  readonly outOfCallScenario?: string;
  /** `host:port` to send to (a UAC); omit for a UAS. */
  readonly target?: string;
  /** CSV injection file content (`-inf`), e.g. `SEQUENTIAL\nalice;[authentication …]\n`. */
  readonly injection?: string;
  /** 'udp' (default, `-t u1`) or 'tcp' (`-t t1`). */
  readonly transport?: 'udp' | 'tcp';
  /** Calls to complete before SIPp exits (`-m`, default 1). */
  readonly calls?: number;
  /** Global bound (`-timeout`, rounded up to whole seconds). */
  readonly timeoutMs: number;
  /** Local address (`-i`, default 127.0.0.1). */
  readonly host?: string;
  /** Local port (`-p`, default a free one). */
  readonly port?: number;
  /** More arguments, appended last (`['-key', 'user', 'alice']`, `['-r', '50']`). */
  readonly args?: readonly string[];
  /** Keep a message trace (`-trace_msg`, default true). */
  readonly traceMessages?: boolean;
  readonly binary?: string;
  /** Leave the temp dir in place (to read the logs). */
  readonly keepDir?: boolean;
}

export interface SippResult {
  /** SIPp's exit code (see SippExit); null when it was killed. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when this helper had to kill SIPp after the bound. */
  readonly killed: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly stats: SippStats | undefined;
  /**
   * Per scenario message (`-trace_counts`): `'<index>_<message>_<Recv|Sent|Retrans|Timeout|Unexp>'`,
   * e.g. `counts['0_INVITE_Retrans']`: retransmissions of the first INVITE SIPp received.
   */
  readonly counts: Readonly<Record<string, number>>;
  /** Unexpected messages and errors SIPp logged (`-trace_err`). */
  readonly errors: string;
  /** The last part of the message trace (`-trace_msg`). */
  readonly messages: string;
  /** A readable account for a failed assertion. */
  readonly summary: string;
}

export interface SippHandle {
  /** The local SIP port SIPp binds. */
  readonly port: number;
  readonly host: string;
  readonly dir: string;
  /** Settles when SIPp exits (never rejects). */
  readonly done: Promise<SippResult>;
  /** Soft exit (SIGUSR1), then KILL after a bound; resolves with the result. Idempotent. */
  stop(): Promise<SippResult>;
}

/** Grace after SIPp's own timeout before it is killed from here. */
const KILL_GRACE_MS = 3000;

/** Runs a scenario to its end (a UAC, or a UAS whose caller is already on its way). */
export async function runSipp(options: SippOptions): Promise<SippResult> {
  const handle = await launch(options);
  return handle.done;
}

/**
 * Starts SIPp and resolves once its SIP port is bound: for a UAS that the code under test
 * calls next. `await handle.done` for the outcome; `stop()` in cleanup.
 */
export async function startSipp(options: SippOptions): Promise<SippHandle> {
  const handle = await launch(options);
  try {
    await waitWhileRunning(handle.proc, () => isPortBound(handle.protocol, handle.port), {
      timeoutMs: Math.min(options.timeoutMs, 10000),
      what: `SIPp to bind ${handle.protocol}:${handle.host}:${handle.port}`,
      intervalMs: 10,
    });
  } catch (error) {
    const result = await handle.stop();
    throw new PeerStartError(
      'sipp',
      error instanceof Error ? error.message : String(error),
      result.summary,
      { cause: error },
    );
  }
  return handle;
}

async function launch(
  options: SippOptions,
): Promise<SippHandle & { proc: ReturnType<typeof startPeerProcess>; protocol: 'udp' | 'tcp' }> {
  if (!(options.timeoutMs > 0)) throw new BadOptionsError('timeoutMs', 'must be positive');
  const protocol = options.transport ?? 'udp';
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort({ protocol, host }));
  const dir = await makeTempDir('sipp');
  const file = (name: string): string => path.join(dir, name);

  const scenarioPath = await materialize(options.scenario, file('scenario.xml'));
  const args = ['-sf', scenarioPath];
  if (options.outOfCallScenario !== undefined) {
    args.push('-oocsf', await materialize(options.outOfCallScenario, file('ooc.xml')));
  }
  if (options.injection !== undefined) {
    await writeFile(file('injection.csv'), options.injection, { mode: 0o600 });
    args.push('-inf', file('injection.csv'));
  }
  const timeoutS = Math.max(1, Math.ceil(options.timeoutMs / 1000));
  args.push(
    '-i',
    host,
    '-p',
    String(port),
    '-t',
    protocol === 'udp' ? 'u1' : 't1',
    '-m',
    String(options.calls ?? 1),
    '-timeout',
    `${timeoutS}s`,
    '-timeout_error',
    '-nostdin',
    '-trace_err',
    '-error_file',
    file('errors.log'),
    '-trace_stat',
    '-stf',
    file('stats.csv'),
    '-trace_counts',
  );
  if (options.traceMessages ?? true) args.push('-trace_msg', '-message_file', file('messages.log'));
  args.push(...(options.args ?? []));
  if (options.target !== undefined) args.push(options.target);

  const proc = startPeerProcess({
    command: options.binary ?? '/usr/bin/sipp',
    args,
    cwd: dir,
  });
  let killed = false;
  const killTimer = setTimeout(
    () => {
      killed = true;
      void proc.stop(1000);
    },
    timeoutS * 1000 + KILL_GRACE_MS,
  );

  const done = proc.exited.then(async (exit) => {
    clearTimeout(killTimer);
    const result = await collect(dir, exit, proc, killed);
    if (!options.keepDir) await removeDir(dir);
    return result;
  });

  let stopping: Promise<SippResult> | undefined;
  const stop = (): Promise<SippResult> => {
    stopping ??= (async () => {
      if (!proc.exit() && proc.pid !== undefined) {
        try {
          process.kill(proc.pid, 'SIGUSR1');
        } catch {
          // Already gone.
        }
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          proc.exited,
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, 2000);
          }),
        ]);
        clearTimeout(timer);
        if (!proc.exit()) await proc.stop(1000);
      }
      return done;
    })();
    return stopping;
  };

  return { port, host, dir, done, stop, proc, protocol };
}

async function materialize(scenario: string, target: string): Promise<string> {
  if (!scenario.trimStart().startsWith('<')) return path.resolve(scenario);
  await writeFile(target, scenario);
  return target;
}

async function collect(
  dir: string,
  exit: { code: number | null; signal: NodeJS.Signals | null; error?: Error },
  proc: ReturnType<typeof startPeerProcess>,
  killed: boolean,
): Promise<SippResult> {
  const read = (name: string): Promise<string> =>
    readFile(path.join(dir, name), 'utf8').catch(() => '');
  const stats = parseSippStats(await read('stats.csv'));
  const countsFile = (await readdir(dir).catch(() => [])).find((f) => f.endsWith('_counts.csv'));
  const counts = countsFile ? parseSippCounts(await read(countsFile)) : {};
  const errors = await readTail(path.join(dir, 'errors.log'), 60);
  const messages = await readTail(path.join(dir, 'messages.log'), 120, 32768);
  const stderr = exit.error ? `${proc.stderr()}${exit.error.message}` : proc.stderr();
  const summary = [
    `SIPp ${exit.code === null ? describeExit(exit) : describeSippExit(exit.code)}${killed ? ' (killed after its timeout)' : ''}`,
    stats
      ? `calls: ${stats.successfulCalls} successful, ${stats.failedCalls} failed` +
        (Object.keys(stats.failures).length ? ` ${JSON.stringify(stats.failures)}` : '')
      : 'no statistics',
    stderr.trim() ? `stderr:\n${stderr.trim()}` : '',
    errors.trim() ? `errors:\n${errors.trim()}` : '',
    messages.trim() ? `messages (tail):\n${messages.trim()}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return {
    exitCode: exit.code,
    signal: exit.signal,
    killed,
    stdout: proc.stdout(),
    stderr,
    stats,
    counts,
    errors,
    messages,
    summary,
  };
}

/** Throws an Error carrying the result's summary unless every call succeeded (exit 0). */
export function assertSippSucceeded(result: SippResult): void {
  if (result.exitCode !== SippExit.AllCallsSucceeded) throw new Error(result.summary);
}
