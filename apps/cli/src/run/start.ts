// `sipwake start [SERVICE…]`: every service in one process (the embedded default, or against
// NATS and PostgreSQL when their URLs are set), or the named ones. Settings are checked before
// anything opens; services start in dependency order and stop in reverse.
import { hostname } from 'node:os';
import type { TObject } from '@sinclair/typebox';
import type { ConfigEnv } from '@sipwake/config';
import { startInOrder, stopInReverse, type ServiceDefinition } from '@sipwake/runtime';
import type { DestinationStream } from 'pino';
import { createLogger, startTelemetry, type Logger } from '@sipwake/telemetry';
import { CliError, CliErrorCode } from '../errors.js';
import { openInfrastructure } from './infrastructure.js';
import { checkUnknownVariables, knownVariables, loadSectionConfig } from './process-config.js';
import { runConfigSchema } from './run-config.js';
import { serviceCatalog } from './catalog.js';

export interface RunningSipwake {
  /** What a reader needs to reach it: `sip udp udp://127.0.0.1:5060`, `api http://…`. */
  readonly endpoints: readonly {
    readonly service: string;
    readonly name: string;
    readonly url: string;
  }[];
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly env: ConfigEnv;
  /** Where the logs go (pino JSON lines); stdout in the process. */
  readonly logStream: NodeJS.WritableStream;
}

/** The services to run, in start order; none named = all of them. */
export function pickServices(names: readonly string[]): readonly ServiceDefinition<TObject>[] {
  if (names.length === 0) return serviceCatalog;
  const unknown = names.filter((name) => !serviceCatalog.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new CliError(
      CliErrorCode.Usage,
      `unknown service "${unknown[0]}": one of ${serviceCatalog.map((s) => s.name).join(', ')}`,
    );
  }
  return serviceCatalog.filter((s) => names.includes(s.name));
}

export async function startSipwake(
  names: readonly string[],
  options: StartOptions,
): Promise<RunningSipwake> {
  const { env } = options;
  const services = pickServices(names);
  // Every service's settings count as known, so one environment (a ConfigMap, an env file)
  // can feed each process whichever services it runs; a typo is still refused.
  checkUnknownVariables(
    env,
    knownVariables([runConfigSchema, ...serviceCatalog.map((s) => s.configSchema)]),
  );
  const run = loadSectionConfig(runConfigSchema, env);
  const configs = services.map((s) => loadSectionConfig(s.configSchema, env));
  if (!run.nats.url && services.length !== serviceCatalog.length) {
    throw new CliError(
      CliErrorCode.BadConfig,
      'SIPWAKE_NATS_URL: required unless every service runs in this process (the in-process bus reaches no other process)',
      'SIPWAKE_NATS_URL',
    );
  }
  const processName = services.length === 1 ? services[0]!.name : 'sipwake';
  const processId = `${processName}-${hostname()
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .slice(0, 32)}-${process.pid}`;
  const log = createLogger({
    name: processName,
    level: run.log.level,
    destination: options.logStream as DestinationStream,
  });
  const otlpEndpoint = env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  const telemetry = await startTelemetry({
    serviceName: processName,
    serviceVersion: '0.1.0',
    sampleRatio: run.tracing.sampleRatio,
    ...(otlpEndpoint ? { otlpEndpoint } : {}),
    ...(run.metrics.port === 0
      ? {}
      : { metricsPort: run.metrics.port, metricsHost: run.metrics.host }),
  });
  let infrastructure;
  try {
    infrastructure = await openInfrastructure(run, log, processId);
  } catch (error) {
    await telemetry.shutdown();
    throw error;
  }
  const infra = infrastructure;
  try {
    const started = await startInOrder(
      services.map((service, i) => ({
        name: service.name,
        start: () =>
          service.start(
            { ...infra, log: log.child({ service: service.name }), telemetry, processId },
            configs[i]!,
          ),
      })),
    );
    const endpoints = started.flatMap(({ name, running }) =>
      running.endpoints.map((endpoint) => ({ service: name, ...endpoint })),
    );
    logStarted(log, infra.mode, endpoints, run.metrics.port);
    return {
      endpoints,
      stop: async () => {
        try {
          await stopInReverse(started);
        } finally {
          await infra.close();
          await telemetry.shutdown();
        }
      },
    };
  } catch (error) {
    await infra.close();
    await telemetry.shutdown();
    throw error;
  }
}

function logStarted(
  log: Logger,
  mode: { readonly bus: string; readonly database: string },
  endpoints: RunningSipwake['endpoints'],
  metricsPort: number,
): void {
  log.info(
    {
      bus: mode.bus,
      database: mode.database,
      endpoints: endpoints.map((e) => `${e.service} ${e.name} ${e.url}`),
      ...(metricsPort === 0 ? {} : { metricsPort }),
    },
    'sipwake started',
  );
}
