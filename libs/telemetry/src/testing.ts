// A test helper other packages use: telemetry started with an in-memory span exporter, so a test
// can read the spans (already masked, as an OTLP collector would receive them).
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTelemetry, type Telemetry } from './telemetry.js';

export interface TestTracing extends Telemetry {
  readonly exporter: InMemorySpanExporter;
}

/** Starts process telemetry for a test (shut it down in afterEach/afterAll); spans land in `exporter`. */
export async function createTestTracing(serviceName = 'test'): Promise<TestTracing> {
  const exporter = new InMemorySpanExporter();
  const telemetry = await startTelemetry({
    serviceName,
    serviceVersion: '0.0.0',
    spanExporter: exporter,
  });
  return { ...telemetry, exporter };
}
