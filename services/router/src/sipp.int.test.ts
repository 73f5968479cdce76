// SIPp calls a selector user at a router on NATS; the "agent" answering is sip-relay's relay
// transport under a sip-stack transaction layer and user agent, sending through the router.
import { connectBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import { createRelayTransport } from '@sipwake/sip-relay';
import type { RelayTransport } from '@sipwake/sip-relay';
import {
  createTransactionLayer,
  createUserAgent,
  minimalSdp,
  systemClock,
} from '@sipwake/sip-stack';
import type { Dialog, TransactionLayer, UserAgent } from '@sipwake/sip-stack';
import {
  assertSippSucceeded,
  runSipp,
  sippRequest,
  sippScenario,
  sippSend,
  startNatsServer,
  withTimeout,
} from '@sipwake/testkit';
import type { NatsServer } from '@sipwake/testkit';
import { selectorA } from './test-support/router-suite.js';
import { createTestRouter } from './test-support/test-router.js';
import type { Router } from './types.js';

const sdp = [
  'v=0',
  'o=sipp 1 1 IN IP4 [local_ip]',
  's=-',
  'c=IN IP4 [local_ip]',
  't=0 0',
  'm=audio [media_port] RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
].join('\n');

let nats: NatsServer;
let routerBus: Bus;
let agentBus: Bus;
let router: Router;
let transport: RelayTransport;
let layer: TransactionLayer;
let ua: UserAgent;
let port: number;

beforeAll(async () => {
  nats = await startNatsServer({ jetstream: false });
  routerBus = await connectBus({ kind: 'nats', servers: nats.url, name: 'router' });
  agentBus = await connectBus({ kind: 'nats', servers: nats.url, name: 'agent' });
  router = createTestRouter({ bus: routerBus, config: { routerId: 'r-sipp' } });
  await router.start();
  port = router.listening()[0]!.port;
  const clock = systemClock();
  transport = createRelayTransport({
    bus: agentBus,
    prefixes: ['4/2'],
    advertised: [{ protocol: 'udp', address: '127.0.0.1', port }],
    shard: 'shard-sipp',
  });
  await transport.start();
  layer = createTransactionLayer({ transport, clock });
  ua = createUserAgent({ layer, clock, contact: `sip:${selectorA}@127.0.0.1:${port}` });
});

afterAll(async () => {
  ua?.stop();
  layer?.stop();
  await transport?.stop();
  await router?.stop();
  await agentBus?.close();
  await routerBus?.close();
  await nats?.stop();
});

it('completes OPTIONS and an INVITE dialog from SIPp through the router to the agent', async () => {
  const ended = new Promise<Dialog>((resolve) => {
    ua.onInvite((call) => {
      call.progress();
      void call.answer({ sdp: minimalSdp('127.0.0.1', 40000) }).then(resolve);
    });
  });
  const scenario = sippScenario('router-uac', [
    sippSend(sippRequest('OPTIONS', 'sip:[service]@[remote_ip]:[remote_port]', { cseq: 1 }), {
      retransMs: 500,
    }),
    '<recv response="200"/>',
    sippSend(
      sippRequest('INVITE', 'sip:[service]@[remote_ip]:[remote_port]', {
        cseq: 2,
        headers: ['Contact: <sip:sipp@[local_ip]:[local_port]>', 'Content-Type: application/sdp'],
        body: sdp,
      }),
      { retransMs: 500 },
    ),
    '<recv response="100" optional="true"/>',
    '<recv response="180" optional="true"/>',
    '<recv response="200" rrs="true"/>',
    sippSend(sippRequest('ACK', '[next_url]', { cseq: 2, inDialog: true })),
    sippSend(sippRequest('BYE', '[next_url]', { cseq: 3, inDialog: true }), { retransMs: 500 }),
    '<recv response="200"/>',
  ]);
  const result = await runSipp({
    scenario,
    target: `127.0.0.1:${port}`,
    timeoutMs: 20_000,
    args: ['-s', selectorA],
  });
  assertSippSucceeded(result);
  expect(result.stats?.successfulCalls).toBe(1);
  const dialog = await withTimeout(ended, 5000, 'the answered dialog');
  await expect(withTimeout(dialog.ended, 5000, 'the BYE')).resolves.toMatchObject({
    by: 'remote',
  });
});
