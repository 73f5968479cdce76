// The push-notifier process: the only file that reads process.env. Config, key files, telemetry,
// bus, start; SIGTERM/SIGINT stop the notifier (in-flight pushes answered), then drain the bus.
import { connectBus } from '@sipwake/bus';
import { loadConfig } from '@sipwake/config';
import { createLogger, startTelemetry } from '@sipwake/telemetry';
import { configSchema } from './config.js';
import { createPushNotifier } from './notifier.js';

const config = loadConfig(configSchema, { env: process.env });
const log = createLogger({ name: 'push-notifier', level: config.log.level });
const otlpEndpoint = process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
const telemetry = await startTelemetry({
  serviceName: 'push-notifier',
  serviceVersion: '0.1.0',
  ...(otlpEndpoint ? { otlpEndpoint } : {}),
  ...(config.metrics.port === 0 ? {} : { metricsPort: config.metrics.port }),
});
const bus = await connectBus({ kind: 'nats', servers: config.bus.url, name: 'push-notifier', log });

let notifier: ReturnType<typeof createPushNotifier>;
try {
  // Reads and checks the key files: a bad one stops start-up here, naming its key.
  notifier = createPushNotifier({
    bus,
    config,
    log,
    tracing: telemetry,
    metrics: telemetry.metrics,
  });
} catch (error) {
  log.fatal({ err: error }, 'push-notifier cannot start');
  await bus.close();
  await telemetry.shutdown();
  process.exit(1);
}
notifier.start();

const shutdown = async (): Promise<void> => {
  await notifier.stop();
  await bus.drain();
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
