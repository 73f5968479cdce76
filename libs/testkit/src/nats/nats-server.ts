// A private nats-server per test suite: client and monitoring ports on 127.0.0.1, JetStream
// storage in its own temp dir, ready when /healthz says so, removed on stop.
import http from 'node:http';
import path from 'node:path';
import { PeerStartError } from '../errors.js';
import { makeTempDir, readTail, removeDir } from '../files.js';
import { startPeerProcess, waitWhileRunning, type ProcessExit } from '../peer-process.js';
import { freePorts } from '../ports.js';

export interface NatsServerOptions {
  /** Enable JetStream (`-js -sd <tempdir>`); default true. */
  readonly jetstream?: boolean;
  /** Default /usr/sbin/nats-server. */
  readonly binary?: string;
  /** Bound for start-up (default 10000 ms). */
  readonly startTimeoutMs?: number;
  /** Extra command-line arguments. */
  readonly args?: readonly string[];
}

export interface NatsServer {
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** HTTP monitoring port (`/varz`, `/healthz`, `/jsz`). */
  readonly monitorPort: number;
  /** The temp dir holding the log and JetStream storage (removed on stop). */
  readonly dir: string;
  /** The server's log so far (last lines). */
  logTail(): Promise<string>;
  /** TERM, KILL after a bound; removes the temp dir. Idempotent. */
  stop(): Promise<ProcessExit>;
}

const HOST = '127.0.0.1';

export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const jetstream = options.jetstream ?? true;
  const dir = await makeTempDir('nats');
  const logFile = path.join(dir, 'nats-server.log');
  const [port, monitorPort] = (await freePorts(2, { protocol: 'tcp', host: HOST })) as [
    number,
    number,
  ];
  const args = ['-a', HOST, '-p', String(port), '-m', String(monitorPort)];
  if (jetstream) args.push('-js', '-sd', path.join(dir, 'jetstream'));
  args.push(...(options.args ?? []));

  const proc = startPeerProcess({
    command: options.binary ?? '/usr/sbin/nats-server',
    args,
    cwd: dir,
    logFile,
  });

  let stopping: Promise<ProcessExit> | undefined;
  const stop = (): Promise<ProcessExit> => {
    stopping ??= proc.stop().finally(() => removeDir(dir));
    return stopping;
  };

  const healthPath = jetstream ? '/healthz?js-enabled-only=true' : '/healthz';
  try {
    await waitWhileRunning(
      proc,
      async () => (await httpStatus(HOST, monitorPort, healthPath)) === 200,
      {
        timeoutMs: options.startTimeoutMs ?? 10000,
        what: `nats-server health on ${HOST}:${monitorPort}`,
        intervalMs: 25,
      },
    );
  } catch (error) {
    const tail = await readTail(logFile);
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new PeerStartError('nats-server', reason, tail, { cause: error });
  }

  return {
    url: `nats://${HOST}:${port}`,
    port,
    monitorPort,
    dir,
    logTail: () => readTail(logFile),
    stop,
  };
}

function httpStatus(host: string, port: number, pathAndQuery: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host, port, path: pathAndQuery, timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy(new Error('health check timed out')));
    request.on('error', reject);
  });
}
