import { SpanStatusCode, trace } from '@opentelemetry/api';
import { TelemetryError } from './errors.js';
import { startTelemetry } from './telemetry.js';
import { createTestTracing } from './testing.js';
import { listen } from './test-support/http.js';

function rejection(promise: Promise<unknown>): Promise<TelemetryError> {
  return promise.then(
    () => {
      throw new Error('expected a TelemetryError');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(TelemetryError);
      return error as TelemetryError;
    },
  );
}

describe('startTelemetry', () => {
  it('is set up once per process, and again after shutdown', async () => {
    const first = await startTelemetry({ serviceName: 'a', serviceVersion: '1' });
    const error = await rejection(startTelemetry({ serviceName: 'b', serviceVersion: '1' }));
    expect(error.code).toBe('ALREADY_STARTED');
    await first.shutdown();
    const second = await startTelemetry({ serviceName: 'b', serviceVersion: '1' });
    await second.shutdown();
  });

  it('shuts down idempotently', async () => {
    const telemetry = await startTelemetry({ serviceName: 'a', serviceVersion: '1' });
    const once = telemetry.shutdown();
    expect(telemetry.shutdown()).toBe(once);
    await once;
    await telemetry.shutdown();
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  it('refuses a sample ratio outside 0…1 and an endpoint that is no URL', async () => {
    expect(
      (await rejection(startTelemetry({ serviceName: 'a', serviceVersion: '1', sampleRatio: 2 })))
        .code,
    ).toBe('BAD_OPTIONS');
    expect(
      (
        await rejection(
          startTelemetry({ serviceName: 'a', serviceVersion: '1', otlpEndpoint: 'not a url' }),
        )
      ).code,
    ).toBe('BAD_OPTIONS');
  });

  it('reports a metrics port it cannot bind and leaves nothing started', async () => {
    const taken = await listen(() => undefined);
    try {
      const error = await rejection(
        startTelemetry({
          serviceName: 'a',
          serviceVersion: '1',
          metricsPort: taken.port,
          metricsHost: '127.0.0.1',
        }),
      );
      expect(error.code).toBe('METRICS_LISTEN_FAILED');
      const next = await startTelemetry({ serviceName: 'a', serviceVersion: '1' });
      await next.shutdown();
    } finally {
      await taken.close();
    }
  });

  it('creates real trace ids without an exporter, and keeps them when a trace is not sampled', async () => {
    const telemetry = await startTelemetry({
      serviceName: 'a',
      serviceVersion: '1',
      sampleRatio: 0,
    });
    try {
      const ids = await telemetry.withSpan('work', {}, (span) => ({
        context: span.spanContext(),
        recording: span.isRecording(),
      }));
      expect(ids.context.traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
      expect(ids.recording).toBe(false);
    } finally {
      await telemetry.shutdown();
    }
  });

  it('follows the parent sampling decision, whatever the ratio', async () => {
    const tracing = await createTestTracing();
    try {
      const sampled = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
      const unsampled = { traceparent: '00-1af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' };
      await tracing.handlerSpan('yes', sampled, () => undefined);
      await tracing.handlerSpan('no', unsampled, () => undefined);
      expect(tracing.exporter.getFinishedSpans().map((s) => s.name)).toEqual(['yes']);
    } finally {
      await tracing.shutdown();
    }
  });

  it('marks a failed handler span as an error', async () => {
    const tracing = await createTestTracing();
    try {
      await expect(
        tracing.handlerSpan('h', {}, () => Promise.reject(new Error('bad message'))),
      ).rejects.toThrow('bad message');
      expect(tracing.exporter.getFinishedSpans()[0]?.status.code).toBe(SpanStatusCode.ERROR);
    } finally {
      await tracing.shutdown();
    }
  });
});
