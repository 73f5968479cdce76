// The registration-api process: the only file that reads process.env. Config, key ring,
// migrations, listen; SIGTERM/SIGINT close the server (requests in flight finish), then drain
// the bus and close the database.
import { connectBus } from '@sipwake/bus';
import { loadConfig } from '@sipwake/config';
import { connectPostgres, migrate } from '@sipwake/db';
import { loadKeyRing } from '@sipwake/secrets';
import { createLogger } from '@sipwake/telemetry';
import { buildApi } from './api.js';
import { configSchema } from './config.js';
import { loadTls } from './tls.js';

const config = loadConfig(configSchema, { env: process.env });
const log = createLogger({ name: 'registration-api', level: config.log.level });
const tls = await loadTls(config.api.tls);
const keyRing = await loadKeyRing(config.keys.file);
const db = await connectPostgres({ connectionString: config.database.url, log });
await migrate(db, { log });
const bus = await connectBus({
  kind: 'nats',
  servers: config.bus.url,
  name: 'registration-api',
  log,
});
const app = await buildApi({
  db,
  bus,
  keyRing,
  log,
  ...(tls === undefined ? {} : { tls }),
  config: {
    sipDomain: config.sip.domain,
    hostPrefixLength: config.sip.hostPrefixLength,
    rateLimitPerMinute: config.rateLimit.perMinute,
    adminToken: config.admin.token,
  },
});
await app.listen({ host: config.listen.host, port: config.listen.port });
log.info(
  { host: config.listen.host, port: config.listen.port, https: tls !== undefined },
  'listening',
);

const shutdown = async (): Promise<void> => {
  await app.close();
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
