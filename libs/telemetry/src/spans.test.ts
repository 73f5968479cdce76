import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { extractTraceContext, injectTraceContext } from './propagation.js';
import { createTestTracing, type TestTracing } from './testing.js';

describe('spans and trace context', () => {
  let tracing: TestTracing;
  beforeAll(async () => {
    tracing = await createTestTracing('spans-test');
  });
  afterAll(() => tracing.shutdown());
  afterEach(() => tracing.exporter.reset());

  it('wraps work in a span with safe attributes', async () => {
    const result = await tracing.withSpan(
      'handover',
      { selector: '4/2', account: { username: 'alice', password: 'hunter2' } },
      () => 42,
    );
    expect(result).toBe(42);
    const [span] = tracing.exporter.getFinishedSpans();
    expect(span?.name).toBe('handover');
    expect(span?.attributes).toEqual({
      selector: '4/2',
      'account.username': 'alice',
      'account.password': '[REDACTED]',
    });
    expect(
      JSON.stringify(tracing.exporter.getFinishedSpans().map((s) => s.attributes)),
    ).not.toContain('hunter2');
  });

  it('masks a secret set directly on the span before it is exported', async () => {
    await tracing.withSpan('register', {}, (span) => {
      span.setAttribute('sip.password', 'hunter2');
      span.setAttributes({ 'push.apnsKey': 'KEY-123', 'sip.callId': 'abc@host' });
      span.addEvent('auth', { authorization: 'Digest hunter2' });
    });
    const [span] = tracing.exporter.getFinishedSpans();
    expect(span?.attributes).toEqual({
      'sip.password': '[REDACTED]',
      'push.apnsKey': '[REDACTED]',
      'sip.callId': 'abc@host',
    });
    expect(span?.events[0]?.attributes).toEqual({ authorization: '[REDACTED]' });
    expect(span?.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('records an error on the span and rethrows it', async () => {
    const failure = new Error('registrar said 403');
    await expect(tracing.withSpan('register', {}, () => Promise.reject(failure))).rejects.toBe(
      failure,
    );
    const [span] = tracing.exporter.getFinishedSpans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'registrar said 403' });
    expect(span?.events.map((e) => e.name)).toEqual(['exception']);
    expect(span?.ended).toBe(true);
  });

  it('carries the trace from a sender to a handler through message headers', async () => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const sent = await tracing.withSpan('publish', {}, (span) => {
      injectTraceContext(headers);
      return span.spanContext();
    });
    expect(headers['traceparent']).toBe(`00-${sent.traceId}-${sent.spanId}-01`);

    const inner = await tracing.handlerSpan(
      'instance.announce',
      headers,
      () => tracing.withSpan('store', {}, (span) => span.spanContext()),
      { 'messaging.destination.name': 'sw.s-4.instance', token: 'abc' },
    );
    const spans = tracing.exporter.getFinishedSpans();
    const handler = spans.find((s) => s.name === 'instance.announce');
    expect(handler?.kind).toBe(SpanKind.CONSUMER);
    expect(handler?.attributes).toEqual({
      'messaging.destination.name': 'sw.s-4.instance',
      token: '[REDACTED]',
    });
    expect(handler?.spanContext().traceId).toBe(sent.traceId);
    expect(handler?.parentSpanContext?.spanId).toBe(sent.spanId);
    expect(inner.traceId).toBe(sent.traceId);
    expect(spans.find((s) => s.name === 'store')?.parentSpanContext?.spanId).toBe(
      handler?.spanContext().spanId,
    );
  });

  it('reads traceparent whatever the header case, and starts a new trace without one', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const parent = extractTraceContext({ TraceParent: `00-${traceId}-b7ad6b7169203331-01` });
    expect(trace.getSpanContext(parent)).toMatchObject({
      traceId,
      spanId: 'b7ad6b7169203331',
      isRemote: true,
    });

    const fresh = await tracing.handlerSpan('x', undefined, (span) => span.spanContext());
    expect(fresh.traceId).not.toBe(traceId);
    expect(tracing.exporter.getFinishedSpans()[0]?.parentSpanContext).toBeUndefined();
  });

  it('injects nothing outside a span', () => {
    expect(injectTraceContext({}, context.active())).toEqual({});
  });
});
