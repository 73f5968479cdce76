// What a benchmark run stands on: a temp dir, a throw-away PostgreSQL database on the local
// server (migrated, dropped after), a key file sealing SIP passwords, a private nats-server.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectPostgres, migrate } from '@sipwake/db';
import { generateKeyFile, loadKeyRing } from '@sipwake/secrets';
import { startNatsServer } from '@sipwake/testkit';

export const PG_SERVER = process.env.BENCH_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

/** Everything a run needs besides the services; `close()` removes all of it. */
export async function openBenchInfra(tag) {
  const dir = await mkdtemp(join(tmpdir(), `sipwake-${tag}-`));
  // BENCH_KEEP_DIR=1 keeps the logs and files of the run (its path is printed).
  const keep = process.env.BENCH_KEEP_DIR === '1';
  const closers = [
    () => (keep ? console.log(`kept ${dir}`) : rm(dir, { recursive: true, force: true })),
  ];
  const close = async () => {
    for (const closer of closers.reverse()) {
      try {
        await closer();
      } catch (error) {
        console.error(`clean-up: ${String(error)}`);
      }
    }
  };
  try {
    const name = `sipwake_${tag}_${randomBytes(5).toString('hex')}`;
    const admin = await connectPostgres({ connectionString: `${PG_SERVER}/postgres`, max: 1 });
    closers.push(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    });
    await admin.query(`CREATE DATABASE ${name}`);
    const databaseUrl = `${PG_SERVER}/${name}`;
    const db = await connectPostgres({ connectionString: databaseUrl, max: 4 });
    closers.push(() => db.close());
    await migrate(db);

    const keysFile = join(dir, 'keys.json');
    await generateKeyFile(keysFile);
    const keyRing = await loadKeyRing(keysFile);

    const nats = await startNatsServer({ jetstream: true });
    closers.push(() => nats.stop());
    return { dir, db, databaseUrl, keysFile, keyRing, natsUrl: nats.url, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The SIPWAKE_* settings every service process of a run shares. */
export function sharedEnv(infra, logLevel = 'info') {
  return {
    SIPWAKE_NATS_URL: infra.natsUrl,
    SIPWAKE_DATABASE_URL: infra.databaseUrl,
    SIPWAKE_KEYS_FILE: infra.keysFile,
    SIPWAKE_DATA_DIR: join(infra.dir, 'data'),
    SIPWAKE_METRICS_PORT: '0',
    SIPWAKE_LOG_LEVEL: logLevel,
  };
}
