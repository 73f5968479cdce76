// The router process: the only file that reads process.env. Config, telemetry, bus, listeners;
// SIGTERM/SIGINT stop the router (503 to new requests, sends finish, listeners close), then
// drain the bus and flush telemetry.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { connectBus } from '@sipwake/bus';
import { loadConfig } from '@sipwake/config';
import { createLogger, startTelemetry } from '@sipwake/telemetry';
import { configSchema, settingsOf } from './config.js';
import { RouterError, RouterErrorCode } from './errors.js';
import { createRouterMetrics } from './metrics.js';
import { createRouter } from './router.js';

const config = loadConfig(configSchema, { env: process.env });
const log = createLogger({ name: 'router', level: config.log.level });
const routerId =
  config.router.id ||
  `router-${hostname()
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .slice(0, 40)}-${process.pid}`;

function readTls(): { key: Buffer; cert: Buffer } | undefined {
  if (config.tls.certFile === '' && config.tls.keyFile === '') return undefined;
  try {
    return { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) };
  } catch (error) {
    throw new RouterError(
      RouterErrorCode.TlsFilesUnreadable,
      'SIPWAKE_TLS_CERT_FILE / SIPWAKE_TLS_KEY_FILE cannot be read',
      { cause: error },
    );
  }
}

const settings = settingsOf(config, routerId, readTls());
if (settings.listen.some((l) => l.protocol === 'tls' || l.protocol === 'wss') && !settings.tls) {
  throw new RouterError(
    RouterErrorCode.TlsFilesUnreadable,
    'a tls/wss listener needs SIPWAKE_TLS_CERT_FILE and SIPWAKE_TLS_KEY_FILE',
  );
}
const telemetry = await startTelemetry({
  serviceName: 'router',
  serviceVersion: '0.1.0',
  otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT,
  sampleRatio: config.tracing.sampleRatio,
  ...(config.metrics.port === 0 ? {} : { metricsPort: config.metrics.port }),
});
const bus = await connectBus({ kind: 'nats', servers: config.bus.url, name: routerId, log });
const router = createRouter({
  bus,
  config: settings,
  log,
  tracing: telemetry,
  metrics: createRouterMetrics(telemetry),
});
await router.start();

const shutdown = async (): Promise<void> => {
  await router.stop();
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
