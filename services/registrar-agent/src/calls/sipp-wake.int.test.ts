// The wake flow over real UDP sockets: SIPp calls an instance, the agent (the calls side on a
// direct sip-stack transport) rings and pushes; the "push" wakes a stack user agent that
// registers on the device side with digest; the agent forks the INVITE to it, passes its 200
// back with the Record-Route, and stays in the path for SIPp's ACK and BYE.
import { parseMessage } from '@sipwake/sip-parser';
import type { SipMessage, SipRequest, SipResponse } from '@sipwake/sip-parser';
import {
  createDigestClient,
  createRegistration,
  createTransactionLayer,
  createTransport,
  createUserAgent,
  minimalSdp,
  systemClock,
} from '@sipwake/sip-stack';
import type { Dialog, TransactionLayer, Transport, UserAgent } from '@sipwake/sip-stack';
import {
  assertSippSucceeded,
  runSipp,
  sippRequest,
  sippScenario,
  sippSend,
  withTimeout,
} from '@sipwake/testkit';
import type { AgentClock, CallSide } from '../ports.js';
import { createCallSide } from './call-side.js';
import { createFakeDirectory, device } from './test-support/fake-directory.js';
import { ACCOUNT } from './test-support/calls-harness.js';
import { silentLog } from './test-support/harness.js';

const SDP = `v=0
o=sipp 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0`;

/** SIPp calls `[service]`: 100, up to five 180s (ours and the device's), 200, ACK, BYE, 200. */
const callerScenario = sippScenario('caller', [
  sippSend(
    sippRequest('INVITE', 'sip:[service]@[remote_ip]:[remote_port]', {
      headers: ['Contact: <sip:sipp@[local_ip]:[local_port]>', 'Content-Type: application/sdp'],
      body: SDP,
    }),
    { retransMs: 500 },
  ),
  '<recv response="100" optional="true"/>',
  '<recv response="180" optional="true"/>',
  '<recv response="180" optional="true"/>',
  '<recv response="180" optional="true"/>',
  '<recv response="180" optional="true"/>',
  '<recv response="180" optional="true"/>',
  '<recv response="200" rrs="true"/>',
  sippSend(sippRequest('ACK', '[next_url]', { inDialog: true })),
  '<pause milliseconds="200"/>',
  sippSend(sippRequest('BYE', '[next_url]', { cseq: 2, inDialog: true }), { retransMs: 500 }),
  '<recv response="200"/>',
]);

interface Node {
  readonly transport: Transport;
  readonly layer: TransactionLayer;
  readonly port: number;
  readonly sent: SipMessage[];
}

async function udpNode(clock: AgentClock): Promise<Node> {
  const inner = createTransport({
    listen: [{ protocol: 'udp', address: '127.0.0.1', port: 0 }],
    clock,
    idleTimeoutMs: 60_000,
    keepAliveIntervalMs: 0,
    maxMessageBytes: 65_535,
  });
  const sent: SipMessage[] = [];
  const transport: Transport = {
    start: () => inner.start(),
    stop: () => inner.stop(),
    listening: () => inner.listening(),
    send(target, message) {
      sent.push(Buffer.isBuffer(message) ? parseMessage(message, { datagram: true }) : message);
      return inner.send(target, message);
    },
    onMessage: (h) => inner.onMessage(h),
    onInvalid: (h) => inner.onInvalid(h),
    onFlowClosed: (h) => inner.onFlowClosed(h),
  };
  await transport.start();
  const layer = createTransactionLayer({ transport, clock });
  return { transport, layer, port: transport.listening()[0]!.port, sent };
}

describe('a call woken by a push, with SIPp as the caller (UDP)', () => {
  const clock: AgentClock = Object.assign(systemClock(), { epochMs: () => Date.now() });
  let agent: Node;
  let phone: Node;
  let side: CallSide;
  let phoneUa: UserAgent;

  afterEach(async () => {
    await side?.stop();
    phoneUa?.stop();
    for (const node of [phone, agent]) {
      node?.layer.stop();
      await node?.transport.stop();
    }
  });

  it('rings, pushes, forks to the device that registers, and relays the dialog to its end', async () => {
    agent = await udpNode(clock);
    phone = await udpNode(clock);
    const directory = createFakeDirectory();
    const selector = directory.add(ACCOUNT, [device('dev-1', 'apns-token-1')]);
    phoneUa = createUserAgent({
      layer: phone.layer,
      clock,
      contact: `sip:phone@127.0.0.1:${phone.port}`,
    });
    const registration = createRegistration({
      layer: phone.layer,
      target: { protocol: 'udp', address: '127.0.0.1', port: agent.port },
      registrar: 'sip:sipwake.test',
      aor: `sip:${selector}@sipwake.test`,
      contact: `sip:phone@127.0.0.1:${phone.port};pn-provider=apns;pn-prid=apns-token-1`,
      digest: createDigestClient({
        credentials: { username: ACCOUNT.authUsername, password: ACCOUNT.password },
      }),
    });
    const deviceDialog = new Promise<Dialog>((resolve, reject) =>
      phoneUa.onInvite((call) => {
        call.progress();
        call.answer({ sdp: minimalSdp('127.0.0.1', 40000, 1) }).then(resolve, reject);
      }),
    );
    const pushes: string[] = [];
    side = createCallSide({
      layer: agent.layer,
      directory,
      clock,
      log: silentLog(),
      push: {
        async push(request) {
          pushes.push(request.type);
          // The push "wakes" the app: it registers on the device side.
          if (request.type === 'call') void registration.register(60);
          return {
            results: request.devices.map((d) => ({
              deviceId: d.deviceId,
              outcome: 'sent' as const,
            })),
          };
        },
      },
      config: {
        shard: 'shard-int',
        realm: 'sipwake.test',
        wakeT1Ms: 10_000,
        wakeT2Ms: 10_000,
        maxMessageBytes: 65_535,
        publicHost: '127.0.0.1',
        publicPort: agent.port,
        publicTransport: 'udp',
        sipHost: 'sipwake.test',
        hostPrefixLength: 0,
      },
    });
    agent.layer.onRequest((tx) => side.handleRequest(tx));
    agent.layer.onCancel((cancel, invite) => side.handleCancel(cancel, invite));
    agent.layer.onStrayAck((inbound, invite) => side.handleStrayAck(inbound, invite));
    agent.layer.onStrayResponse((inbound) => side.handleStrayResponse(inbound));

    const result = await runSipp({
      scenario: callerScenario,
      target: `127.0.0.1:${agent.port}`,
      args: ['-s', selector],
      timeoutMs: 20_000,
    });
    assertSippSucceeded(result);
    expect(result.stats).toMatchObject({ successfulCalls: 1, failedCalls: 0 });

    const dialog = await withTimeout(deviceDialog, 5000, 'the device dialog');
    await expect(withTimeout(dialog.ended, 5000, 'the BYE')).resolves.toMatchObject({
      by: 'remote',
    });
    expect(pushes).toEqual(['call']);

    const toSipp = agent.sent.filter(
      (m): m is SipResponse => m.type === 'response' && m.cseq().method === 'INVITE',
    );
    const statuses = toSipp
      .filter((r) => r.status === 180)
      .map((r) => r.headers.get('x-sipwake-push-status'));
    expect(statuses.slice(0, 3)).toEqual([
      'Alerting-Device',
      'Push-Notification-Sent',
      'Device-Making-Progress',
    ]);
    const ok = toSipp.find((r) => r.status === 200)!;
    expect(ok.recordRoute()[0]!.uri.params['sw']).toBe(selector);
    const toDevice = agent.sent.filter(
      (m): m is SipRequest => m.type === 'request' && ['INVITE', 'ACK', 'BYE'].includes(m.method),
    );
    expect(toDevice.map((m) => m.method)).toEqual(['INVITE', 'ACK', 'BYE']);
  });
});
