// startTelemetry: the OpenTelemetry NodeSDK, set up once per process by a service's main (or the
// embedded default's). Every option is explicit, so the SDK's own environment fallbacks
// (OTEL_TRACES_EXPORTER, OTEL_METRICS_EXPORTER, …) never pick exporters behind the service's back.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  context,
  metrics,
  propagation,
  ProxyTracerProvider,
  trace,
  type Meter,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { core, NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  NoopSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { TelemetryError } from './errors.js';
import { createSipwakeMetrics, type SipwakeMetrics } from './metrics.js';
import type { MessageHeaders } from './propagation.js';
import { createRedactingSpanProcessor } from './span-processor.js';
import { handlerSpan, withSpan, type SpanWork } from './spans.js';

export interface TelemetryOptions {
  readonly serviceName: string;
  readonly serviceVersion: string;
  /** OTLP/HTTP base URL (the value of OTEL_EXPORTER_OTLP_ENDPOINT); traces go to `<it>/v1/traces`. */
  readonly otlpEndpoint?: string;
  /** Ratio of new traces sampled (0…1, default 1); a span with a parent follows its parent. */
  readonly sampleRatio?: number;
  /** Serve `/metrics` on this port; without it, mount `metricsHandler` in the service's HTTP server. */
  readonly metricsPort?: number;
  /** The address the metrics port binds (default `0.0.0.0`). */
  readonly metricsHost?: string;
  /** Also send every ended span here, unbatched (tests: an InMemorySpanExporter). */
  readonly spanExporter?: SpanExporter;
}

/** What libraries and handlers need for tracing: the tracer and the two span helpers bound to it. */
export interface Tracing {
  readonly tracer: Tracer;
  withSpan<T>(
    name: string,
    attributes: Readonly<Record<string, unknown>>,
    fn: SpanWork<T>,
  ): Promise<T>;
  handlerSpan<T>(
    name: string,
    headers: Readonly<MessageHeaders> | undefined,
    fn: SpanWork<T>,
    attributes?: Readonly<Record<string, unknown>>,
  ): Promise<T>;
}

export interface Telemetry extends Tracing {
  readonly meter: Meter;
  /** The instruments operators watch (names in MetricName). */
  readonly metrics: SipwakeMetrics;
  /** Answers a scrape: `(req, res)` of node:http (fastify: `reply.hijack()` then `reply.raw`). */
  metricsHandler(request: IncomingMessage, response: ServerResponse): void;
  /** Flushes spans, stops the metrics server and unregisters the globals; idempotent. */
  shutdown(): Promise<void>;
}

function checkOptions(options: TelemetryOptions): number {
  const ratio = options.sampleRatio ?? 1;
  if (!(ratio >= 0 && ratio <= 1)) {
    throw new TelemetryError(
      'BAD_OPTIONS',
      `sampleRatio: expected a number from 0 to 1, got ${ratio}`,
    );
  }
  if (options.otlpEndpoint !== undefined && !URL.canParse(options.otlpEndpoint)) {
    throw new TelemetryError('BAD_OPTIONS', 'otlpEndpoint: expected an http(s) URL');
  }
  return ratio;
}

function spanProcessors(options: TelemetryOptions): SpanProcessor[] {
  const processors: SpanProcessor[] = [];
  if (options.otlpEndpoint !== undefined) {
    const url = `${options.otlpEndpoint.replace(/\/+$/, '')}/v1/traces`;
    processors.push(
      createRedactingSpanProcessor(new BatchSpanProcessor(new OTLPTraceExporter({ url }))),
    );
  }
  if (options.spanExporter !== undefined) {
    processors.push(createRedactingSpanProcessor(new SimpleSpanProcessor(options.spanExporter)));
  }
  // Without any processor the SDK registers no tracer provider and spans carry no ids; a no-op
  // one keeps real trace ids flowing into logs and bus headers when nothing is exported.
  if (processors.length === 0) processors.push(new NoopSpanProcessor());
  return processors;
}

/** Starts tracing and metrics for this process; a second start before shutdown is refused. */
export async function startTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  const ratio = checkOptions(options);
  const registered = trace.getTracerProvider();
  if (
    !(registered instanceof ProxyTracerProvider) ||
    registered.getDelegateTracer('sipwake') !== undefined
  ) {
    throw new TelemetryError(
      'ALREADY_STARTED',
      'a tracer provider is already registered in this process: start telemetry once and pass it down',
    );
  }
  const prometheus = new PrometheusExporter({
    preventServerStart: true,
    withoutScopeInfo: true,
    ...(options.metricsPort === undefined ? {} : { port: options.metricsPort }),
    host: options.metricsHost ?? '0.0.0.0',
  });
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      [ATTR_SERVICE_VERSION]: options.serviceVersion,
    }),
    autoDetectResources: false,
    textMapPropagator: new core.W3CTraceContextPropagator(),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
    spanProcessors: spanProcessors(options),
    metricReaders: [prometheus],
    instrumentations: [],
  });
  sdk.start();

  let stopped: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    stopped ??= sdk.shutdown().finally(() => {
      trace.disable();
      metrics.disable();
      propagation.disable();
      context.disable();
    });
    return stopped;
  };

  if (options.metricsPort !== undefined) {
    try {
      await prometheus.startServer();
    } catch (cause) {
      await shutdown();
      throw new TelemetryError(
        'METRICS_LISTEN_FAILED',
        `metrics port ${options.metricsPort}: cannot listen`,
        {
          cause,
        },
      );
    }
  }

  const tracer = trace.getTracer(options.serviceName, options.serviceVersion);
  const meter = metrics.getMeter(options.serviceName, options.serviceVersion);
  return {
    tracer,
    meter,
    metrics: createSipwakeMetrics(meter),
    withSpan: (name, attributes, fn) => withSpan(tracer, name, attributes, fn),
    handlerSpan: (name, headers, fn, attributes) =>
      handlerSpan(tracer, name, headers, fn, attributes),
    metricsHandler: (request, response) => prometheus.getMetricsRequestHandler(request, response),
    shutdown,
  };
}
