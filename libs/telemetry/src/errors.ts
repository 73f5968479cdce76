// The telemetry's errors: one class, a stable code per failure.
// The table below is append-only: a code, once published, keeps its meaning.

export const TelemetryErrorCode = {
  /** A tracer provider is already registered in this process: telemetry is set up once per process. */
  AlreadyStarted: 'ALREADY_STARTED',
  /** The options cannot make working telemetry (a sample ratio outside 0…1, a bad endpoint URL). */
  BadOptions: 'BAD_OPTIONS',
  /** The Prometheus endpoint could not bind its port. */
  MetricsListenFailed: 'METRICS_LISTEN_FAILED',
} as const;

export type TelemetryErrorCode = (typeof TelemetryErrorCode)[keyof typeof TelemetryErrorCode];

export class TelemetryError extends Error {
  override readonly name = 'TelemetryError';
  readonly code: TelemetryErrorCode;

  constructor(code: TelemetryErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
