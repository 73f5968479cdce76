// One peer process (nats-server, Kamailio, SIPp) started by a test: its output kept (in a log
// file or in bounded memory), its exit observed, and a bounded stop: TERM to the main pid, then
// KILL to its whole process group when it does not exit in time.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { waitFor, type Predicate, type WaitOptions } from './wait.js';

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all (e.g. ENOENT). */
  readonly error?: Error;
}

export interface PeerProcessOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  /** stdout and stderr appended to this file; otherwise kept in memory (the last `maxOutputBytes`). */
  readonly logFile?: string;
  readonly maxOutputBytes?: number;
}

export interface PeerProcess {
  readonly pid: number | undefined;
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<ProcessExit>;
  /** The exit, once it happened. */
  exit(): ProcessExit | undefined;
  /** Output kept in memory (empty when a logFile was given). */
  stdout(): string;
  stderr(): string;
  /** TERM to the main pid; KILL to the process group after `graceMs` (default 5000). Idempotent. */
  stop(graceMs?: number): Promise<ProcessExit>;
}

export function startPeerProcess(options: PeerProcessOptions): PeerProcess {
  const maxBytes = options.maxOutputBytes ?? 256 * 1024;
  const logFd = options.logFile === undefined ? undefined : openSync(options.logFile, 'a');
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    // Its own process group, so a stuck peer's children can be killed with it.
    detached: true,
    stdio: logFd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', logFd, logFd],
  });
  if (logFd !== undefined) closeSync(logFd);

  const out = boundedText(maxBytes);
  const err = boundedText(maxBytes);
  child.stdout?.on('data', (chunk: Buffer) => out.add(chunk));
  child.stderr?.on('data', (chunk: Buffer) => err.add(chunk));

  let exitStatus: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('error', (error) => {
      // 'error' without a pid: spawn failed and 'close' may never come.
      if (child.pid === undefined) {
        exitStatus = { code: null, signal: null, error };
        resolve(exitStatus);
      }
    });
    child.once('close', (code, signal) => {
      exitStatus ??= { code, signal };
      resolve(exitStatus);
    });
  });

  let stopping: Promise<ProcessExit> | undefined;
  const stop = (graceMs = 5000): Promise<ProcessExit> => {
    stopping ??= (async () => {
      if (exitStatus) return exitStatus;
      signal(child.pid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const killed = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          // Negative pid: the whole process group (the peer and the children it forked).
          if (child.pid !== undefined) signal(-child.pid, 'SIGKILL');
          resolve();
        }, graceMs);
      });
      await Promise.race([exited, killed]);
      clearTimeout(timer);
      return exited;
    })();
    return stopping;
  };

  return {
    pid: child.pid,
    exited,
    exit: () => exitStatus,
    stdout: () => out.text(),
    stderr: () => err.text(),
    stop,
  };
}

function signal(pid: number | undefined, name: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** Keeps the last `maxBytes` of a stream. */
function boundedText(maxBytes: number): { add(chunk: Buffer): void; text(): string } {
  let chunks: Buffer[] = [];
  let size = 0;
  return {
    add(chunk) {
      chunks.push(chunk);
      size += chunk.length;
      if (size > 2 * maxBytes) {
        const joined = Buffer.concat(chunks).subarray(-maxBytes);
        chunks = [joined];
        size = joined.length;
      }
    },
    text: () => Buffer.concat(chunks).subarray(-maxBytes).toString('utf8'),
  };
}

/**
 * Polls `predicate` like waitFor, but gives up at once when `proc` exits: a peer that died on
 * start-up fails the test in milliseconds, with its exit status, instead of after the bound.
 */
export async function waitWhileRunning<T>(
  proc: PeerProcess,
  predicate: Predicate<T>,
  options: WaitOptions,
): Promise<T> {
  const controller = new AbortController();
  void proc.exited.then((exit) =>
    controller.abort(new Error(`exited early (${describeExit(exit)})`)),
  );
  return (await waitFor(predicate, { ...options, signal: controller.signal })) as T;
}

export function describeExit(exit: ProcessExit): string {
  if (exit.error) return exit.error.message;
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}
