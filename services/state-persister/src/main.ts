// The state-persister process: the only file that reads process.env. Config, telemetry, the
// health server (so /readyz says "not ready" while PostgreSQL is away), migrations once
// PostgreSQL answers, then the subscriptions. SIGTERM/SIGINT stop the persister (in-flight
// batches finish), then the bus drains, the health server and the database close.
import { connectBus } from '@sipwake/bus';
import { loadConfig } from '@sipwake/config';
import { connectPostgres } from '@sipwake/db';
import { createLogger, startTelemetry } from '@sipwake/telemetry';
import { configSchema } from './config.js';
import { createHealthServer } from './health-server.js';
import { createStatePersister } from './persister.js';
import { createReadiness } from './readiness.js';
import { migrateWhenReachable } from './start-up.js';

const config = loadConfig(configSchema, { env: process.env });
const log = createLogger({ name: 'state-persister', level: config.log.level });
const otlpEndpoint = process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
const telemetry = await startTelemetry({
  serviceName: 'state-persister',
  serviceVersion: '0.1.0',
  ...(otlpEndpoint === undefined || otlpEndpoint === '' ? {} : { otlpEndpoint }),
});
// Lazy: the pool connects on demand and replaces broken connections, so a PostgreSQL that
// comes back is used again without help.
const db = await connectPostgres({
  connectionString: config.database.url,
  applicationName: 'sipwake-state-persister',
  lazy: true,
  log,
});
const bus = await connectBus({
  kind: 'nats',
  servers: config.bus.url,
  name: 'state-persister',
  log,
});
const health = createHealthServer({
  readiness: createReadiness({ db, bus, pingTimeoutMs: config.health.dbPingTimeoutMs }),
  host: config.health.host,
  port: config.health.port,
  metricsHandler: telemetry.metricsHandler,
});
const port = await health.start();
log.info({ host: config.health.host, port }, 'health server listening');

const persister = createStatePersister({
  bus,
  db,
  log,
  tracing: telemetry,
  config: { maxPageInstances: config.load.maxPageInstances },
});
const startUp = new AbortController();

const shutdown = async (): Promise<void> => {
  startUp.abort(new Error('shutting down'));
  await persister.stop();
  await bus.drain();
  await health.stop();
  await db.close();
  await telemetry.shutdown();
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

try {
  await migrateWhenReachable({
    db,
    log,
    maxDelayMs: config.database.startRetryMaxMs,
    signal: startUp.signal,
  });
  persister.start();
} catch (error) {
  if (!startUp.signal.aborted) {
    log.error({ err: error }, 'start-up failed');
    await shutdown();
    process.exit(1);
  }
}
