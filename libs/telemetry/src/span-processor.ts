// A span processor in front of the exporting one: an attribute set with a secret key (by
// instrumentation that never went through safeAttributes) is masked before the span is exported.
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { maskAttributes } from './redact.js';

/** A view of the span whose attributes and event attributes are masked; everything else is the span's. */
function maskedView(span: ReadableSpan): ReadableSpan {
  const attributes = maskAttributes(span.attributes);
  const events = span.events.map((event) =>
    event.attributes === undefined
      ? event
      : { ...event, attributes: maskAttributes(event.attributes) },
  );
  const changed = attributes !== span.attributes || events.some((e, i) => e !== span.events[i]);
  if (!changed) return span;
  const view = Object.create(span) as ReadableSpan;
  Object.defineProperty(view, 'attributes', { value: attributes, enumerable: true });
  Object.defineProperty(view, 'events', { value: events, enumerable: true });
  return view;
}

export function createRedactingSpanProcessor(inner: SpanProcessor): SpanProcessor {
  return {
    onStart: (span: Span, parentContext: Context) => inner.onStart(span, parentContext),
    onEnd: (span: ReadableSpan) => inner.onEnd(maskedView(span)),
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
}
