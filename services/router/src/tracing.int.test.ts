import { createInProcessBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import { encodeMessage, RouterSend, SipForwardAck, subjects } from '@sipwake/contracts';
import { createTestTracing } from '@sipwake/telemetry';
import type { TestTracing } from '@sipwake/telemetry';
import { createUdpPeer, waitFor } from '@sipwake/testkit';
import type { UdpPeer } from '@sipwake/testkit';
import { request, selectorA } from './test-support/router-suite.js';
import { createTestRouter } from './test-support/test-router.js';
import type { Router } from './types.js';

let tracing: TestTracing;
let bus: Bus;
let router: Router;
let peer: UdpPeer;

beforeAll(async () => {
  tracing = await createTestTracing('router');
  bus = createInProcessBus();
  router = createTestRouter({ bus, tracing, config: { routerId: 'r-traced' } });
  await router.start();
  peer = await createUdpPeer();
});

afterAll(async () => {
  await peer.close();
  await router.stop();
  await bus.close();
  await tracing.shutdown();
});

it('starts the trace of a message at the router and carries it to the shard', async () => {
  const headers: Record<string, string>[] = [];
  const sub = bus.subscribe(subjects.shardSip(selectorA), (msg) => {
    headers.push({ ...msg.headers });
    msg.respond(encodeMessage(SipForwardAck, { accepted: true }));
  });
  const port = router.listening()[0]!.port;
  await peer.send(request('INVITE', `sip:${selectorA}@127.0.0.1:${port}`), port);
  await waitFor(
    () => tracing.exporter.getFinishedSpans().some((s) => s.name === 'router.receive'),
    { timeoutMs: 5000, what: 'the router.receive span' },
  );
  const span = tracing.exporter.getFinishedSpans().find((s) => s.name === 'router.receive')!;
  expect(span.attributes).toMatchObject({
    'sip.selector': selectorA,
    'sip.method': 'INVITE',
    'router.id': 'r-traced',
  });
  const { traceId, spanId } = span.spanContext();
  expect(headers[0]?.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  sub.unsubscribe();
});

it("runs a send in a span whose parent is the agent's", async () => {
  const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  await bus.request(
    subjects.routerSip('r-traced'),
    encodeMessage(RouterSend, {
      message: Buffer.from('x').toString('base64'),
      target: { protocol: 'udp', address: '127.0.0.1', port: peer.port },
    }),
    { timeoutMs: 5000, headers: { traceparent: parent } },
  );
  await waitFor(() => tracing.exporter.getFinishedSpans().some((s) => s.name === 'router.send'), {
    timeoutMs: 5000,
    what: 'the router.send span',
  });
  const span = tracing.exporter.getFinishedSpans().find((s) => s.name === 'router.send')!;
  expect(span.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  expect(span.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
});
