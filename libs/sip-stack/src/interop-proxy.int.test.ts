// A call through a real Kamailio: the stack registers an AoR, a SIPp caller INVITEs that AoR
// at Kamailio, which finds the binding (lookup("location")), Record-Routes and relays; the
// stack answers and hangs up through the route set (RFC 3261 §12.1.1, §12.2.1.1).
import {
  assertSippSucceeded,
  runSipp,
  sippReply,
  sippRequest,
  sippScenario,
  sippSend,
  startKamailio,
  withTimeout,
  type Kamailio,
} from '@sipwake/testkit';
import { createDigestClient } from './digest/client.js';
import { startStackEndpoint, type StackEndpoint } from './test-support/stack-endpoint.js';
import { createRegistration } from './ua/register.js';
import { minimalSdp } from './ua/sdp.js';
import type { IncomingCall } from './ua/uas-invite.js';
import type { UserAgent } from './ua/user-agent.js';

const DOMAIN = 'proxy.test';

/** A SIPp caller that waits for the callee's BYE. */
const CALLER_HUNG_UP_ON = sippScenario('caller-hung-up-on', [
  sippSend(
    sippRequest('INVITE', `sip:[service]@${DOMAIN}`, {
      to: `<sip:[service]@${DOMAIN}>`,
      headers: [
        'Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>',
        'Content-Type: application/sdp',
      ],
      body: [
        'v=0',
        'o=sipp 1 1 IN IP4 [local_ip]',
        's=-',
        'c=IN IP4 [media_ip]',
        't=0 0',
        'm=audio [media_port] RTP/AVP 0',
      ].join('\n'),
    }),
    { retransMs: 500 },
  ),
  '<recv response="100" optional="true"/>',
  '<recv response="180" optional="true"/>',
  '<recv response="200" rrs="true"/>',
  sippSend(sippRequest('ACK', '[next_url]', { to: `<sip:[service]@${DOMAIN}>`, inDialog: true })),
  '<recv request="BYE"/>',
  sippSend(sippReply(200, 'OK')),
]);

describe('a call through Kamailio to a registered stack UA', () => {
  let kamailio: Kamailio;
  let stack: StackEndpoint;
  let ua: UserAgent;

  beforeAll(async () => {
    kamailio = await startKamailio({
      domain: DOMAIN,
      users: [{ username: 'carol', password: 'c4rol', domain: DOMAIN }],
      transports: ['udp'],
    });
    stack = await startStackEndpoint({ protocols: ['udp'] });
    ua = stack.userAgent('carol');
  });
  afterAll(async () => {
    await stack?.stop();
    await kamailio?.stop();
  });

  /** Waits a bounded time; a failure shows what Kamailio logged (one line per request). */
  const step = <T>(promise: Promise<T>, what: string): Promise<T> =>
    withTimeout(promise, 5000, what).catch(async (error: Error) => {
      throw new Error(`${error.message}\n--- Kamailio log ---\n${await kamailio.logTail(20)}`);
    });

  it('is found by lookup(location), record-routed, answered, and hung up through the route', async () => {
    const registration = createRegistration({
      layer: stack.layer,
      target: { protocol: 'udp', address: '127.0.0.1', port: kamailio.port },
      registrar: `sip:${DOMAIN}`,
      aor: `sip:carol@${DOMAIN}`,
      contact: stack.contact('carol'),
      digest: createDigestClient({ credentials: { username: 'carol', password: 'c4rol' } }),
    });
    await step(registration.register(300), 'the registration');

    const incoming = new Promise<IncomingCall>((resolve) => ua.onInvite(resolve));
    const caller = runSipp({
      scenario: CALLER_HUNG_UP_ON,
      target: `127.0.0.1:${kamailio.port}`,
      args: ['-s', 'carol'],
      timeoutMs: 15000,
    });
    const call = await step(incoming, 'the INVITE relayed by Kamailio');
    // Kamailio rewrote the Request-URI to the registered contact and put itself in the path.
    expect(call.request.uri).toBe(`sip:carol@127.0.0.1:${stack.port('udp')}`);
    call.progress();
    const dialog = await step(
      call.answer({ sdp: minimalSdp('127.0.0.1', 40010) }),
      'the ACK relayed by Kamailio',
    );
    expect(dialog.routeSet).toHaveLength(1);
    expect(dialog.routeSet[0]).toMatch(new RegExp(`^<sip:127\\.0\\.0\\.1:${kamailio.port};lr`));

    const bye = await step(dialog.bye(), 'the 200 to BYE');
    expect(bye.status).toBe(200);
    const result = await caller;
    assertSippSucceeded(result);

    // The BYE went to Kamailio (the route), addressed to the caller's contact.
    const sentBye = stack.sent.find(
      (s) => s.message.type === 'request' && s.message.method === 'BYE',
    )!;
    expect(sentBye.target).toMatchObject({ address: '127.0.0.1', port: kamailio.port });
    expect(sentBye.message.type === 'request' && sentBye.message.uri).toMatch(
      /^sip:sipp@127\.0\.0\.1:\d+/,
    );
    expect(sentBye.message.headers.getAll('route')).toEqual(dialog.routeSet);
  });
});
