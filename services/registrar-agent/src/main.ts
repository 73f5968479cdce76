// The registrar-agent process: the only file that reads process.env. Config, key file,
// telemetry, bus, transport (the relay transport through routers, or own sockets when
// `sip.direct`), RFC 3263 locator, the calls side; SIGTERM/SIGINT stop the agent, then drain the bus.
import { connectBus } from '@sipwake/bus';
import { loadConfig } from '@sipwake/config';
import { loadKeyRing } from '@sipwake/secrets';
import { createRelayTransport } from '@sipwake/sip-relay';
import {
  createCachingResolver,
  createNodeDnsResolver,
  createServerLocator,
  createTransport,
} from '@sipwake/sip-stack';
import type { Transport } from '@sipwake/sip-stack';
import { createLogger, injectTraceContext, startTelemetry } from '@sipwake/telemetry';
import { createRegistrarAgent } from './agent.js';
import { createCallSide } from './calls/call-side.js';
import { systemAgentClock } from './clock.js';
import { configSchema, settingsOf } from './config.js';

const config = loadConfig(configSchema, { env: process.env });
const settings = settingsOf(config);
const log = createLogger({ name: 'registrar-agent', level: config.log.level });
const otlpEndpoint = process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
const telemetry = await startTelemetry({
  serviceName: 'registrar-agent',
  serviceVersion: '0.1.0',
  ...(otlpEndpoint ? { otlpEndpoint } : {}),
  ...(config.metrics.port === 0 ? {} : { metricsPort: config.metrics.port }),
});
const keyRing = await loadKeyRing(config.keyFile);
const bus = await connectBus({
  kind: 'nats',
  servers: config.bus.url,
  name: `registrar-agent-${settings.shard}`,
  log,
});
const clock = systemAgentClock();
const transport: Transport = config.sip.direct
  ? createTransport({
      listen: [
        {
          protocol: config.sip.publicTransport,
          address: config.sip.listenAddress,
          port: config.sip.listenPort,
        },
      ],
      clock,
      idleTimeoutMs: 300_000,
      keepAliveIntervalMs: 0,
      maxMessageBytes: settings.maxMessageBytes,
    })
  : createRelayTransport({
      bus,
      prefixes: settings.prefixes,
      advertised: [
        {
          protocol: settings.publicTransport,
          address: settings.publicHost,
          port: settings.publicPort,
        },
      ],
      shard: settings.shard,
      maxMessageBytes: settings.maxMessageBytes,
      sendHeaders: () => injectTraceContext({}),
      log,
    });
const protocols = [settings.publicTransport];
const agent = createRegistrarAgent({
  bus,
  transport,
  keyRing,
  clock,
  log,
  config: settings,
  createCallSide,
  locator: createServerLocator({
    resolver: createCachingResolver(createNodeDnsResolver(), { clock }),
    transports: protocols,
    families: [4, 6],
  }),
  tracing: telemetry,
  metrics: telemetry.metrics,
});
try {
  await agent.start();
} catch (error) {
  log.fatal({ err: error }, 'registrar-agent cannot start');
  await agent.stop();
  await bus.close();
  await telemetry.shutdown();
  process.exit(1);
}

const shutdown = async (): Promise<void> => {
  await agent.stop();
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
