// The state-persister as a service of a sipwake process: the host's database (migrated by the
// process once PostgreSQL answered) and bus, and its own health server, whose /readyz says
// "not ready" while PostgreSQL or the bus is away.
import type { RunningService, ServiceDefinition, ServiceHost } from '@sipwake/runtime';
import { configSchema, type StatePersisterConfig } from './config.js';
import { createHealthServer } from './health-server.js';
import { createStatePersister } from './persister.js';
import { createReadiness } from './readiness.js';

async function start(host: ServiceHost, config: StatePersisterConfig): Promise<RunningService> {
  const { bus, db, log, telemetry } = host;
  const health = createHealthServer({
    readiness: createReadiness({ db, bus, pingTimeoutMs: config.health.dbPingTimeoutMs }),
    host: config.health.host,
    port: config.health.port,
    metricsHandler: telemetry.metricsHandler,
  });
  const port = await health.start();
  const persister = createStatePersister({
    bus,
    db,
    log,
    tracing: telemetry,
    config: { maxPageInstances: config.load.maxPageInstances },
  });
  persister.start();
  const where = config.health.host.includes(':') ? `[${config.health.host}]` : config.health.host;
  return {
    endpoints: [{ name: 'health', url: `http://${where}:${port}/readyz` }],
    stop: async () => {
      await persister.stop();
      await health.stop();
    },
  };
}

export const statePersisterService: ServiceDefinition<typeof configSchema> = {
  name: 'state-persister',
  configSchema,
  start,
};
