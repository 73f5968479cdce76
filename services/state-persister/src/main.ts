// The state-persister process: the only file that reads process.env. Config, migrations, start;
// SIGTERM/SIGINT stop the persister (in-flight batches finish), then close the bus and database.
import { connectBus } from '@sipwake/bus';
import { loadConfig } from '@sipwake/config';
import { connectPostgres, migrate } from '@sipwake/db';
import { createLogger } from '@sipwake/telemetry';
import { configSchema } from './config.js';
import { createStatePersister } from './persister.js';

const config = loadConfig(configSchema, { env: process.env });
const log = createLogger({ name: 'state-persister', level: config.log.level });
const db = await connectPostgres({ connectionString: config.database.url, log });
await migrate(db, { log });
const bus = await connectBus({
  kind: 'nats',
  servers: config.bus.url,
  name: 'state-persister',
  log,
});
const persister = createStatePersister({
  bus,
  db,
  log,
  config: { maxPageInstances: config.load.maxPageInstances },
});
persister.start();

const shutdown = async (): Promise<void> => {
  await persister.stop();
  await bus.drain();
  await db.close();
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
