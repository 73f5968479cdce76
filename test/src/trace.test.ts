// One trace per call, across sipwake's processes: every process exports its spans over OTLP/HTTP
// to a collector this suite serves on loopback, every new trace is sampled, and the happy call
// (hand-over → Kamailio binding, SIPp call → push → device-side REGISTER → answer → BYE) leaves
// one trace that starts at the router's INVITE and holds the agent's, the push-notifier's and the
// state-persister's spans.
import { assertSippSucceeded, waitFor } from '@sipwake/testkit';
import { accountAt, answeredCall, waitForSipwakeBinding } from './support/answered-call.js';
import { handOver, type Account } from './support/device.js';
import {
  startOtlpCollector,
  type CollectedSpan,
  type OtlpCollector,
} from './support/otlp-collector.js';
import { DOMAIN, startSystem, type System } from './support/system.js';

const alice: Omit<Account, 'registrar'> = {
  username: 'alice',
  domain: DOMAIN,
  password: 'alice-secret',
};

const SERVICES = ['router', 'registrar-agent', 'push-notifier', 'state-persister'] as const;

let collector: OtlpCollector;
let system: System;

beforeAll(async () => {
  collector = await startOtlpCollector();
  system = await startSystem({
    users: [{ username: alice.username, password: alice.password, domain: DOMAIN }],
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      // Batches leave every half second rather than every five.
      OTEL_BSP_SCHEDULE_DELAY: '500',
      SIPWAKE_TRACING_SAMPLE_RATIO: '1',
      SIPWAKE_REGISTRATION_REFRESH_MARGIN_MS: '20000',
    },
  });
}, 180_000);

afterAll(async () => {
  await system?.stop();
  await collector?.stop();
});

afterEach(() => {
  const state = expect.getState();
  if (state.assertionCalls !== state.numPassingAsserts) {
    process.stdout.write(system.output());
    process.stdout.write(describeTraces(collector.spans()));
  }
});

/** Trace id → the spans of it, in arrival order. */
function byTrace(spans: readonly CollectedSpan[]): Map<string, CollectedSpan[]> {
  const traces = new Map<string, CollectedSpan[]>();
  for (const span of spans) traces.set(span.traceId, [...(traces.get(span.traceId) ?? []), span]);
  return traces;
}

function describeTraces(spans: readonly CollectedSpan[]): string {
  return [...byTrace(spans)]
    .map(([id, list]) => `${id}: ${list.map((s) => `${s.service}/${s.name}`).join(' ')}`)
    .join('\n');
}

/** The traces that start at the router's span of an INVITE with this Call-ID. */
function inviteTraces(callId: string): CollectedSpan[][] {
  const spans = collector.spans();
  const ids = new Set(
    spans
      .filter(
        (s) =>
          s.service === 'router' &&
          s.name === 'router.receive' &&
          s.attributes['sip.method'] === 'INVITE' &&
          s.attributes['sip.kind'] === 'request' &&
          s.attributes['sip.call_id'] === callId,
      )
      .map((s) => s.traceId),
  );
  return [...byTrace(spans)].filter(([id]) => ids.has(id)).map(([, list]) => list);
}

const servicesOf = (trace: readonly CollectedSpan[]): Set<string> =>
  new Set(trace.map((s) => s.service));

it("a call's trace holds spans from the router, the agent, the push-notifier and the state-persister", async () => {
  const account = accountAt(system, alice);
  const handed = await handOver(system.apiUrl, account, {
    id: 'alice-phone',
    token: 'a1'.repeat(32),
  });
  const binding = await waitForSipwakeBinding(system, 'alice', handed.selector);
  expect(binding.contact).toBe(`sip:${handed.selector}@127.0.0.1:${system.routerPort}`);

  const call = await answeredCall(system, account, handed.selector);
  assertSippSucceeded(call.caller);
  expect(call.caller.stats).toMatchObject({ successfulCalls: 1, failedCalls: 0 });
  expect(call.push.token).toBe('a1'.repeat(32));
  expect(call.pushFacts).toMatchObject({ type: 'call', selector: handed.selector });
  expect(call.ended).toMatchObject({ by: 'remote' });
  const callId = call.pushFacts?.['callId'];
  expect(typeof callId).toBe('string');

  // Spans are batched: wait (bounded) for one INVITE trace to hold all four services.
  await waitFor(
    () => inviteTraces(String(callId)).some((t) => SERVICES.every((s) => servicesOf(t).has(s))),
    { timeoutMs: 20_000, what: "the call's trace with spans of every service" },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; traces:\n${describeTraces(collector.spans())}`);
  });
  const trace = inviteTraces(String(callId)).find((t) =>
    SERVICES.every((s) => servicesOf(t).has(s)),
  )!;
  // One root, at the router; every other span's parent is in the same trace.
  const roots = trace.filter((s) => s.parentSpanId === undefined);
  expect(roots.map((s) => `${s.service}/${s.name}`)).toEqual(['router/router.receive']);
  const ids = new Set(trace.map((s) => s.spanId));
  expect(trace.filter((s) => s.parentSpanId !== undefined && !ids.has(s.parentSpanId))).toEqual([]);
  const names = (service: string): string[] =>
    trace.filter((s) => s.service === service).map((s) => s.name);
  expect(names('registrar-agent')).toContain('agent.sip.receive');
  expect(names('push-notifier')).toContain('push.request');
  // The call's record, written when the BYE ended the call, joins the INVITE's trace.
  expect(names('state-persister')).toContain('state.call-record');
  expect(collector.refused()).toEqual([]);
  // Secrets never reach a span: not the SIP password, not the push token.
  const exported = JSON.stringify(collector.spans());
  expect(exported).not.toContain(alice.password);
  expect(exported).not.toContain('a1'.repeat(32));
});
