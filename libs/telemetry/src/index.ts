// @sipwake/telemetry: OpenTelemetry tracing and metrics set up once per process, W3C trace context
// on bus message headers, pino logs with trace ids, and one redaction list for logs and spans.
export { startTelemetry } from './telemetry.js';
export type { Telemetry, TelemetryOptions, Tracing } from './telemetry.js';
export { withSpan, handlerSpan, activeTraceIds } from './spans.js';
export type { SpanWork } from './spans.js';
export { injectTraceContext, extractTraceContext } from './propagation.js';
export type { MessageHeaders } from './propagation.js';
export { createLogger } from './logger.js';
export type { CreateLoggerOptions, Logger } from './logger.js';
export {
  secretKeys,
  redactedValue,
  isSecretKey,
  redactPaths,
  safeAttributes,
  maskAttributes,
} from './redact.js';
export { createRedactingSpanProcessor } from './span-processor.js';
export { createSipwakeMetrics, MetricName } from './metrics.js';
export type { SipwakeMetrics, InstanceCount, BusRequestOutcome } from './metrics.js';
export { createTestTracing } from './testing.js';
export type { TestTracing } from './testing.js';
export { TelemetryError, TelemetryErrorCode } from './errors.js';
