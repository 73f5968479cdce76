// Spans around work: withSpan for an operation, handlerSpan for a bus message handler whose parent
// is the span that sent the message. A throw is recorded on the span and rethrown, never swallowed.
import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { extractTraceContext, type MessageHeaders } from './propagation.js';
import { safeAttributes } from './redact.js';

export type SpanWork<T> = (span: Span) => Promise<T> | T;

async function run<T>(span: Span, fn: SpanWork<T>): Promise<T> {
  try {
    return await fn(span);
  } catch (error) {
    const exception = error instanceof Error ? error : new Error(String(error));
    span.recordException(exception);
    span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
    throw error;
  } finally {
    span.end();
  }
}

/** Runs `fn` in a new span, child of the active one; `attributes` go through safeAttributes. */
export function withSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Readonly<Record<string, unknown>>,
  fn: SpanWork<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes: safeAttributes(attributes) }, (span) =>
    run(span, fn),
  );
}

/** Runs a message handler in a consumer span whose parent comes from the message's headers. */
export function handlerSpan<T>(
  tracer: Tracer,
  name: string,
  headers: Readonly<MessageHeaders> | undefined,
  fn: SpanWork<T>,
  attributes: Readonly<Record<string, unknown>> = {},
): Promise<T> {
  const parent = extractTraceContext(headers ?? {}, context.active());
  const span = tracer.startSpan(
    name,
    { kind: SpanKind.CONSUMER, attributes: safeAttributes(attributes) },
    parent,
  );
  return context.with(trace.setSpan(parent, span), () => run(span, fn));
}

/** The trace and span ids of the active span, for a log line; undefined outside any span. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getActiveSpan();
  if (span === undefined) return undefined;
  const { traceId, spanId } = span.spanContext();
  return trace.isSpanContextValid(span.spanContext()) ? { traceId, spanId } : undefined;
}
