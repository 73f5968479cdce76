// A whole sipwake system for one suite, on loopback: a private nats-server, a throw-away
// PostgreSQL database, a key file, a Kamailio registrar with digest auth (it also proxies calls
// to the contacts registered there), a local APNs server checking provider tokens, and
// sipwake's five services as separate processes — or, `embedded`, all in one process on the
// in-process bus and PGlite, as `npm start` runs them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyFile } from '@sipwake/secrets';
import {
  createThrowawayDatabase,
  freePort,
  generateApnsKey,
  startApnsServer,
  startKamailio,
  startNatsServer,
  writeSecretFile,
  type ApnsServer,
  type Kamailio,
  type KamailioUser,
  type NatsServer,
  type ThrowawayDatabase,
} from '@sipwake/testkit';
import { startSipwakeProcess, type SipwakeProcess } from './sipwake-process.js';

export const APP_ID = 'com.example.phone';
export const DOMAIN = 'example.test';
/** The digest realm of sipwake's device side. */
export const DEVICE_REALM = 'sipwake.test';

/** Start order; stopped in reverse. */
const SERVICES = [
  'state-persister',
  'push-notifier',
  'registrar-agent',
  'registration-api',
  'router',
] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface SystemOptions {
  readonly users: readonly KamailioUser[];
  /** Every service in one process on the in-process bus and PGlite. */
  readonly embedded?: boolean;
  /** More SIPWAKE_* settings for every process (short timers for a case). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface System {
  readonly kamailio: Kamailio;
  readonly apns: ApnsServer;
  readonly apiUrl: string;
  readonly routerPort: number;
  /** The throw-away PostgreSQL database (separate processes only; undefined when embedded). */
  readonly databaseUrl: string | undefined;
  /** Restarts one service process (separate processes only). */
  restart(service: ServiceName): Promise<void>;
  /** Every process's output, for a failing test. */
  output(): string;
  stop(): Promise<void>;
}

export async function startSystem(options: SystemOptions): Promise<System> {
  const closers: (() => Promise<unknown>)[] = [];
  const close = async (): Promise<void> => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const dir = await mkdtemp(join(tmpdir(), 'sipwake-e2e-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    const keysFile = join(dir, 'keys.json');
    await generateKeyFile(keysFile);

    const apnsKey = generateApnsKey();
    const apns = await startApnsServer({ keys: [apnsKey], topics: [APP_ID] });
    closers.push(() => apns.stop());
    const kamailio = await startKamailio({
      users: options.users,
      domain: DOMAIN,
      transports: ['udp'],
    });
    closers.push(() => kamailio.stop());

    const routerPort = await freePort({ protocol: 'udp' });
    const apiPort = await freePort({ protocol: 'tcp' });
    const env: Record<string, string> = {
      SIPWAKE_KEYS_FILE: keysFile,
      SIPWAKE_DATA_DIR: join(dir, 'data'),
      SIPWAKE_METRICS_PORT: '0',
      SIPWAKE_HEALTH_PORT: '0',
      SIPWAKE_LOG_LEVEL: 'info',
      SIPWAKE_SIP_LISTEN: `udp:127.0.0.1:${routerPort}`,
      SIPWAKE_SIP_HOST: '127.0.0.1',
      SIPWAKE_SIP_PUBLIC_HOST: '127.0.0.1',
      SIPWAKE_SIP_PUBLIC_PORT: String(routerPort),
      SIPWAKE_SIP_REALM: DEVICE_REALM,
      SIPWAKE_API_PORT: String(apiPort),
      SIPWAKE_APNS_BASE_URL: apns.url,
      SIPWAKE_APNS_KEY_FILE: await writeSecretFile(join(dir, 'apns.p8'), apnsKey.privateKeyPem),
      SIPWAKE_APNS_KEY_ID: apnsKey.keyId,
      SIPWAKE_APNS_TEAM_ID: apnsKey.teamId,
      SIPWAKE_APNS_CA_FILE: await writeSecretFile(join(dir, 'apns-ca.pem'), apns.ca),
      ...options.env,
    };
    if (!options.embedded) {
      const nats: NatsServer = await startNatsServer({ jetstream: false });
      closers.push(() => nats.stop());
      const database: ThrowawayDatabase = await createThrowawayDatabase({ tag: 'e2e' });
      closers.push(() => database.drop());
      env['SIPWAKE_NATS_URL'] = nats.url;
      env['SIPWAKE_DATABASE_URL'] = database.connectionString;
    }

    const databaseUrl = env['SIPWAKE_DATABASE_URL'];
    const processes = new Map<string, SipwakeProcess>();
    const outputs: string[] = [];
    const start = async (name: string, services: readonly string[]): Promise<void> => {
      const started = await startSipwakeProcess(services, env);
      processes.set(name, started);
    };
    const stopOne = async (name: string): Promise<void> => {
      const running = processes.get(name);
      if (!running) return;
      processes.delete(name);
      await running.stop();
      outputs.push(`--- ${running.name}\n${running.output()}`);
    };
    closers.push(async () => {
      for (const name of [...processes.keys()].reverse()) await stopOne(name);
    });
    if (options.embedded) await start('sipwake', []);
    else for (const service of SERVICES) await start(service, [service]);

    return {
      kamailio,
      apns,
      apiUrl: `http://127.0.0.1:${apiPort}/v1`,
      routerPort,
      databaseUrl,
      async restart(service) {
        if (options.embedded) throw new Error('restart: the embedded default is one process');
        await stopOne(service);
        await start(service, [service]);
      },
      output: () =>
        [...outputs, ...[...processes.values()].map((p) => `--- ${p.name}\n${p.output()}`)].join(
          '\n',
        ),
      stop: close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
