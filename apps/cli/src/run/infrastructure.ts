// What every service in a sipwake process shares: the bus, the database, the key ring.
// Without a NATS URL the bus is in-process and without a database URL the database is the
// embedded PostgreSQL (PGlite) in the data folder: the embedded default, for trying sipwake
// out. A key file is generated there on first start when none is configured.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { connectBus, createInProcessBus, type Bus } from '@sipwake/bus';
import { connectPostgres, migrateWhenReachable, openPglite, type Database } from '@sipwake/db';
import { generateKeyFile, loadKeyRing, SecretsError, type KeyRing } from '@sipwake/secrets';
import type { Logger } from '@sipwake/telemetry';
import type { RunConfig } from './run-config.js';

export interface Infrastructure {
  readonly bus: Bus;
  readonly db: Database;
  readonly keyRing: KeyRing;
  /** `embedded` when the bus is in-process and the database is PGlite. */
  readonly mode: { readonly bus: 'nats' | 'in-process'; readonly database: 'postgres' | 'pglite' };
  /** Drains the bus, then closes the database (after every service stopped). */
  close(): Promise<void>;
}

export async function openInfrastructure(
  config: RunConfig,
  log: Logger,
  processName: string,
): Promise<Infrastructure> {
  const dataDir = resolve(config.data.dir);
  const keyRing = await openKeyRing(config.keys.file, dataDir, log);
  // Lazy: the pool connects on demand and replaces broken connections, so a PostgreSQL that
  // is away at start-up (or later) is used as soon as it answers.
  const db = config.database.url
    ? await connectPostgres({
        connectionString: config.database.url,
        applicationName: `sipwake-${processName}`.slice(0, 63),
        lazy: true,
        log,
      })
    : await openEmbeddedDatabase(dataDir);
  try {
    await migrateWhenReachable({ db, log, maxDelayMs: config.database.startRetryMaxMs });
    const bus = config.nats.url
      ? await connectBus({ kind: 'nats', servers: config.nats.url, name: processName, log })
      : createInProcessBus();
    return {
      bus,
      db,
      keyRing,
      mode: {
        bus: config.nats.url ? 'nats' : 'in-process',
        database: config.database.url ? 'postgres' : 'pglite',
      },
      close: async () => {
        await bus.drain();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** The embedded PostgreSQL of a data folder, made on first use. */
export async function openEmbeddedDatabase(dataDir: string): Promise<Database> {
  const pgDir = join(dataDir, 'pgdata');
  await mkdir(pgDir, { recursive: true });
  return openPglite({ dataDir: pgDir });
}

export function hasEmbeddedDatabase(dataDir: string): boolean {
  return existsSync(join(dataDir, 'pgdata'));
}

/** The configured key file, or `<data>/keys.json`, made on first start (mode 0600). */
async function openKeyRing(file: string, dataDir: string, log: Logger): Promise<KeyRing> {
  if (file) return loadKeyRing(file);
  const embedded = join(dataDir, 'keys.json');
  await mkdir(dataDir, { recursive: true });
  try {
    await generateKeyFile(embedded);
    log.warn({ keyFile: embedded }, 'generated a key file for the embedded default');
  } catch (error) {
    if (!(error instanceof SecretsError && error.code === 'KEY_FILE_EXISTS')) throw error;
  }
  return loadKeyRing(embedded);
}
