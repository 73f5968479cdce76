// A private Kamailio registrar per test suite: its own config, db_text tables, ctl socket,
// pid file and log in a temp dir; checked with `kamailio -c`, run in the foreground, ready when
// it answers an OPTIONS.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { BadOptionsError, PeerCommandError, PeerStartError } from '../errors.js';
import { makeTempDir, readTail, removeDir, writeFileAtomic } from '../files.js';
import { startPeerProcess, waitWhileRunning, type ProcessExit } from '../peer-process.js';
import { freePort } from '../ports.js';
import { sipRequest, sipStatus } from '../sip-text.js';
import { createUdpPeer } from '../udp-peer.js';
import {
  renderKamailioConfig,
  SIP_PORT_DEFINE,
  type KamailioTransport,
  type RegistrarOptions,
} from './config.js';
import {
  subscriberTable,
  versionTable,
  type DigestAlgorithm,
  type KamailioUser,
} from './db-text.js';
import { aorKey, parseUlLookup, runKamcmd, type KamailioBinding } from './kamcmd.js';

export interface KamailioOptions {
  readonly users: readonly KamailioUser[];
  /** Default ['udp', 'tcp'] (both on the same port). */
  readonly transports?: readonly KamailioTransport[];
  /** The registrar's own domain (an alias, so `sip:<domain>` is "myself"); default 'sipwake.test'. */
  readonly domain?: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default: a free port (UDP and TCP). */
  readonly port?: number;
  /** Digest algorithm of the challenges (default MD5). */
  readonly algorithm?: DigestAlgorithm;
  /** Challenge with qop="auth" (default true). */
  readonly qop?: boolean;
  /** Nonce lifetime in seconds (Kamailio default 300). */
  readonly nonceExpiresS?: number;
  readonly registrar?: RegistrarOptions;
  /** record_route() on INVITE (default true). */
  readonly recordRoute?: boolean;
  /** Kamailio debug level (default 2: info, one line per request). */
  readonly logLevel?: number;
  /** Worker processes per transport (default 2). */
  readonly children?: number;
  /** Shared memory in MB (default 64). */
  readonly sharedMemoryMb?: number;
  /** Bound for start-up (default 10000 ms). */
  readonly startTimeoutMs?: number;
  /** Leave the temp dir in place after stop (to read the log). */
  readonly keepDir?: boolean;
  readonly binary?: string;
  readonly kamcmdBinary?: string;
}

export interface Kamailio {
  readonly host: string;
  readonly port: number;
  readonly transports: readonly KamailioTransport[];
  readonly domain: string;
  /** The temp dir holding cfg, tables, ctl socket and log. */
  readonly dir: string;
  /** Current bindings of an AoR (`alice`, `alice@domain` or `sip:alice@domain`); [] when none. */
  bindings(aor: string): Promise<KamailioBinding[]>;
  /** Replaces the subscriber table (re-read by Kamailio on the next authentication). */
  setUsers(users: readonly KamailioUser[]): Promise<void>;
  /** Any RPC over the ctl socket (`rpc('stats.get_statistics', 'usrloc:')`). */
  rpc(...args: string[]): Promise<string>;
  logTail(lines?: number): Promise<string>;
  /** TERM to the main pid (KILL to its group after a bound), then removes the temp dir. Idempotent. */
  stop(): Promise<ProcessExit>;
}

export async function startKamailio(options: KamailioOptions): Promise<Kamailio> {
  const transports = options.transports ?? ['udp', 'tcp'];
  if (transports.length === 0) throw new BadOptionsError('transports', 'at least one is needed');
  const host = options.host ?? '127.0.0.1';
  const domain = options.domain ?? 'sipwake.test';
  const algorithm = options.algorithm ?? 'MD5';
  const binary = options.binary ?? '/usr/sbin/kamailio';
  const kamcmd = { binary: options.kamcmdBinary };
  const port =
    options.port ??
    (await freePort({ protocol: transports.length > 1 ? 'both' : transports[0]!, host }));

  const dir = await makeTempDir('kamailio');
  const dbDir = path.join(dir, 'db');
  const cfgFile = path.join(dir, 'kamailio.cfg');
  const ctlSocket = path.join(dir, 'ctl.sock');
  const logFile = path.join(dir, 'kamailio.log');
  await mkdir(dbDir);
  await writeFile(path.join(dbDir, 'version'), versionTable());
  let subscriberMtimeS = await writeFileAtomic(
    path.join(dbDir, 'subscriber'),
    subscriberTable(options.users, algorithm),
  );
  const domains = [...new Set([domain, ...options.users.map((u) => u.domain)])];
  await writeFile(
    cfgFile,
    renderKamailioConfig({
      host,
      transports,
      domains,
      dbDir,
      ctlSocket,
      algorithm,
      qop: options.qop ?? true,
      nonceExpiresS: options.nonceExpiresS,
      registrar: options.registrar ?? {},
      recordRoute: options.recordRoute ?? true,
      logLevel: options.logLevel ?? 2,
      children: options.children ?? 2,
    }),
  );
  const defines = ['-A', `${SIP_PORT_DEFINE}=${port}`];

  try {
    await checkConfig(binary, cfgFile, defines);
  } catch (error) {
    if (!options.keepDir) await removeDir(dir);
    const output = error instanceof PeerCommandError ? error.output : String(error);
    throw new PeerStartError('kamailio', 'configuration check failed', output, { cause: error });
  }

  const proc = startPeerProcess({
    command: binary,
    args: [
      '-DD',
      '-E',
      '-f',
      cfgFile,
      '-P',
      path.join(dir, 'kamailio.pid'),
      '-m',
      String(options.sharedMemoryMb ?? 64),
      '-M',
      '8',
      ...defines,
    ],
    cwd: dir,
    logFile,
  });

  let stopping: Promise<ProcessExit> | undefined;
  const stop = (): Promise<ProcessExit> => {
    stopping ??= proc.stop().finally(() => (options.keepDir ? undefined : removeDir(dir)));
    return stopping;
  };

  try {
    const probe = transports.includes('udp') ? probeUdp : probeTcp;
    await waitWhileRunning(proc, async () => existsSync(ctlSocket) && (await probe(host, port)), {
      timeoutMs: options.startTimeoutMs ?? 10000,
      what: `Kamailio to answer OPTIONS on ${host}:${port}`,
      intervalMs: 50,
    });
  } catch (error) {
    const tail = await readTail(logFile);
    await stop();
    throw new PeerStartError(
      'kamailio',
      error instanceof Error ? error.message : String(error),
      tail,
      { cause: error },
    );
  }

  return {
    host,
    port,
    transports,
    domain,
    dir,
    async bindings(aor) {
      const key = aorKey(aor);
      const output = await runKamcmd(ctlSocket, ['ul.lookup', 'location', key], kamcmd);
      return parseUlLookup(output, `kamcmd ul.lookup location ${key}`);
    },
    async setUsers(users) {
      subscriberMtimeS = await writeFileAtomic(
        path.join(dbDir, 'subscriber'),
        subscriberTable(users, algorithm),
        subscriberMtimeS,
      );
    },
    rpc: (...args) => runKamcmd(ctlSocket, args, kamcmd),
    logTail: (lines) => readTail(logFile, lines),
    stop,
  };
}

function checkConfig(binary: string, cfgFile: string, defines: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      ['-c', '-f', cfgFile, ...defines],
      { timeout: 10000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) {
          resolve();
          return;
        }
        const tail = `${stdout}${stderr}`.split('\n').slice(-30).join('\n');
        const code = typeof error.code === 'number' ? error.code : null;
        reject(new PeerCommandError(`kamailio -c -f ${cfgFile}`, code, tail));
      },
    );
  });
}

const PROBE_TIMEOUT_MS = 200;

/** One OPTIONS over UDP; true when any response comes back. */
async function probeUdp(host: string, port: number): Promise<boolean> {
  const peer = await createUdpPeer({ host });
  try {
    await peer.send(probeRequest(host, port, peer.port, 'UDP'), port);
    const answer = await peer.next({ timeoutMs: PROBE_TIMEOUT_MS, what: 'an OPTIONS response' });
    return sipStatus(answer.text) !== undefined;
  } finally {
    await peer.close();
  }
}

/** One OPTIONS over a fresh TCP connection; true when a response starts to arrive. */
function probeTcp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(PROBE_TIMEOUT_MS * 5, () => socket.destroy(new Error('no answer')));
    socket.once('connect', () => {
      socket.write(probeRequest(host, port, socket.localPort ?? 0, 'TCP'));
    });
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString('utf8').startsWith('SIP/2.0 '));
    });
    socket.once('error', reject);
  });
}

function probeRequest(host: string, port: number, localPort: number, transport: string): string {
  const target = host.includes(':') ? `[${host}]` : host;
  return sipRequest({
    method: 'OPTIONS',
    uri: `sip:${target}:${port}`,
    local: { address: host, port: localPort, transport },
    from: `sip:probe@${target}`,
    to: `sip:${target}:${port}`,
  });
}
