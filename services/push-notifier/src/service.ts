// The push-notifier as a service of a sipwake process: its own settings (key files are read and
// checked here, so a bad one stops start-up naming its key), the shared bus and telemetry.
import type { RunningService, ServiceDefinition, ServiceHost } from '@sipwake/runtime';
import { configSchema, type PushNotifierConfig } from './config.js';
import { createPushNotifier } from './notifier.js';

async function start(host: ServiceHost, config: PushNotifierConfig): Promise<RunningService> {
  const notifier = createPushNotifier({
    bus: host.bus,
    config,
    log: host.log,
    tracing: host.telemetry,
    metrics: host.telemetry.metrics,
  });
  notifier.start();
  return { endpoints: [], stop: () => notifier.stop() };
}

export const pushNotifierService: ServiceDefinition<typeof configSchema> = {
  name: 'push-notifier',
  configSchema,
  start,
};
