// W3C trace context (traceparent, tracestate) on bus message headers, without knowing the bus:
// headers are a plain string map here, and the bus copies them onto its messages.
import { context, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { core } from '@opentelemetry/sdk-node';

export type MessageHeaders = Record<string, string>;

const setter: TextMapSetter<MessageHeaders> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const getter: TextMapGetter<Readonly<MessageHeaders>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const direct = carrier[key];
    if (direct !== undefined) return direct;
    const found = Object.keys(carrier).find((k) => k.toLowerCase() === key);
    return found === undefined ? undefined : carrier[found];
  },
};

function propagator(): core.W3CTraceContextPropagator {
  return new core.W3CTraceContextPropagator();
}

/** Writes `traceparent` (and `tracestate`) of the active span, or of `ctx`, into `headers`; returns them. */
export function injectTraceContext(
  headers: MessageHeaders,
  ctx: Context = context.active(),
): MessageHeaders {
  propagator().inject(ctx, headers, setter);
  return headers;
}

/** The context whose remote parent is the span named by the headers (the active context if none). */
export function extractTraceContext(
  headers: Readonly<MessageHeaders>,
  ctx: Context = context.active(),
): Context {
  return propagator().extract(ctx, headers, getter);
}
