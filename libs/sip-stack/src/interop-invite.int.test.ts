// INVITE dialogs between the stack and a real SIPp, over UDP on loopback: a SIPp caller
// completed by the stack's UAS, the stack's UAC calling a SIPp callee, and the retransmissions
// UDP needs — Timer A (RFC 3261 §17.1.1.2) and the UAS's 2xx retransmission (§13.3.1.4).
import {
  assertSippSucceeded,
  runSipp,
  sippReply,
  sippRequest,
  sippScenario,
  sippSend,
  startSipp,
  type SippHandle,
  type SippResult,
} from '@sipwake/testkit';
import type { SipMessage } from '@sipwake/sip-parser';
import { startStackEndpoint, type StackEndpoint } from './test-support/stack-endpoint.js';
import { minimalSdp } from './ua/sdp.js';
import type { IncomingCall } from './ua/uas-invite.js';
import type { UserAgent } from './ua/user-agent.js';

/** Short timers so the retransmission tests take about a second. */
const T1_MS = 200;
const T2_MS = 4000;

const SDP = `v=0
o=sipp 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000`;

const CONTACT = 'Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>';
const SDP_TYPE = 'Content-Type: application/sdp';

/** A SIPp caller: INVITE, 100 (optional) / 180 / 200, then `afterOk`, ACK, BYE, 200. */
function callerScenario(afterOk = ''): string {
  return sippScenario('caller', [
    sippSend(
      sippRequest('INVITE', 'sip:[service]@[remote_ip]:[remote_port]', {
        headers: [CONTACT, SDP_TYPE],
        body: SDP,
      }),
      { retransMs: 500 },
    ),
    '<recv response="100" optional="true"/>',
    '<recv response="180"/>',
    '<recv response="200" rrs="true"/>',
    afterOk,
    sippSend(sippRequest('ACK', '[next_url]', { inDialog: true })),
    '<pause milliseconds="100"/>',
    sippSend(sippRequest('BYE', '[next_url]', { cseq: 2, inDialog: true }), { retransMs: 500 }),
    '<recv response="200"/>',
  ]);
}

/** A SIPp callee: INVITE, then `beforeAnswer`, 180, 200 with SDP, ACK, BYE, 200. */
function calleeScenario(beforeAnswer = ''): string {
  return sippScenario('callee', [
    '<recv request="INVITE"/>',
    beforeAnswer,
    sippSend(sippReply(180, 'Ringing', { toTag: true })),
    sippSend(sippReply(200, 'OK', { toTag: true, headers: [CONTACT, SDP_TYPE], body: SDP }), {
      retransMs: 500,
    }),
    '<recv request="ACK"/>',
    '<recv request="BYE"/>',
    sippSend(sippReply(200, 'OK')),
  ]);
}

/** What the stack sent: requests of a method, or responses with a status to a CSeq method. */
function sentRequests(stack: StackEndpoint, method: string) {
  return stack.sent.filter((s) => s.message.type === 'request' && s.message.method === method);
}
function sentResponses(stack: StackEndpoint, status: number, method: string) {
  return stack.sent.filter(
    (s) =>
      s.message.type === 'response' &&
      s.message.status === status &&
      s.message.cseq().method === method,
  );
}
function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!);
}
function branchOf(message: SipMessage): string | undefined {
  return message.topVia().branch;
}

describe('INVITE dialogs with SIPp over UDP', () => {
  let stack: StackEndpoint;
  let ua: UserAgent;
  let sipp: SippHandle | undefined;

  beforeEach(async () => {
    stack = await startStackEndpoint({ protocols: ['udp'], t1Ms: T1_MS, t2Ms: T2_MS });
    ua = stack.userAgent('bob');
  });
  afterEach(async () => {
    await sipp?.stop();
    sipp = undefined;
    await stack.stop();
  });

  const nextCall = (): Promise<IncomingCall> => new Promise((resolve) => ua.onInvite(resolve));
  const expectSuccess = (result: SippResult): void => {
    assertSippSucceeded(result);
    expect(result.stats).toMatchObject({ successfulCalls: 1, failedCalls: 0 });
  };

  it('completes a call from a SIPp UAC: 180, 200 + SDP, ACK, BYE answered 200', async () => {
    const incoming = nextCall();
    const caller = runSipp({
      scenario: callerScenario(),
      target: `127.0.0.1:${stack.port('udp')}`,
      args: ['-s', 'bob'],
      timeoutMs: 15000,
    });
    const call = await incoming;
    expect(call.request.requestUri().user).toBe('bob');
    call.progress();
    const dialog = await call.answer({ sdp: minimalSdp('127.0.0.1', 40000) });
    expect(dialog.remoteBody.toString()).toContain('m=audio');
    await expect(dialog.ended).resolves.toEqual({ by: 'remote', reason: 'bye' });
    expectSuccess(await caller);
    expect(sentResponses(stack, 200, 'BYE')).toHaveLength(1);
  });

  it('calls a SIPp UAS: INVITE, 180, 200, ACK for the 2xx, then BYE', async () => {
    sipp = await startSipp({ scenario: calleeScenario(), timeoutMs: 15000 });
    const provisional: number[] = [];
    const dialog = await ua.invite({
      uri: `sip:alice@127.0.0.1:${sipp.port}`,
      from: 'sip:bob@interop.test',
      sdp: minimalSdp('127.0.0.1', 40002),
      onProvisional: (r) => provisional.push(r.status),
    });
    expect(provisional).toContain(180);
    expect(dialog.remoteTarget).toBe(`sip:sipp@127.0.0.1:${sipp.port};transport=UDP`);
    const bye = await dialog.bye();
    expect(bye.status).toBe(200);
    expectSuccess(await sipp.done);

    const [invite] = sentRequests(stack, 'INVITE');
    const [ack] = sentRequests(stack, 'ACK');
    // §13.2.2.4: the ACK is the core's own request: its CSeq number, a branch of its own.
    expect(ack!.message.cseq()).toEqual({ seq: invite!.message.cseq().seq, method: 'ACK' });
    expect(branchOf(ack!.message)).not.toBe(branchOf(invite!.message));
  });

  it('retransmits the INVITE on Timer A until a UAS that ignored it answers', async () => {
    // SIPp absorbs the retransmissions while it pauses (counted, not answered), then answers.
    sipp = await startSipp({
      scenario: calleeScenario('<pause milliseconds="1200"/>'),
      timeoutMs: 15000,
    });
    const dialog = await ua.invite({
      uri: `sip:alice@127.0.0.1:${sipp.port}`,
      from: 'sip:bob@interop.test',
    });
    await dialog.bye();
    const result = await sipp.done;
    expectSuccess(result);
    expect(result.counts['0_INVITE_Retrans']).toBeGreaterThanOrEqual(2);

    const invites = sentRequests(stack, 'INVITE');
    expect(invites.length).toBeGreaterThanOrEqual(3);
    expect(new Set(invites.map((s) => branchOf(s.message))).size).toBe(1);
    // RFC 3261 §17.1.1.2: "set timer A to fire in T1 seconds. When timer A fires, the client
    // transaction MUST retransmit the request [...] and reset the timer with a value of 2*T1."
    const [first, second] = gaps(invites.map((s) => s.at));
    expect(first).toBeGreaterThanOrEqual(T1_MS - 5);
    expect(second).toBeGreaterThanOrEqual(2 * T1_MS - 5);
    expect(second!).toBeGreaterThan(first!);
  });

  it('retransmits its 2xx until a UAC that ignored it sends the ACK', async () => {
    const incoming = nextCall();
    const caller = runSipp({
      // SIPp absorbs the 2xx retransmissions while it pauses, then ACKs.
      scenario: callerScenario('<pause milliseconds="1200"/>'),
      target: `127.0.0.1:${stack.port('udp')}`,
      args: ['-s', 'bob'],
      timeoutMs: 15000,
    });
    const call = await incoming;
    call.progress();
    const dialog = await call.answer({ sdp: minimalSdp('127.0.0.1', 40004) });
    const oksBeforeAck = sentResponses(stack, 200, 'INVITE');
    await dialog.ended;
    const result = await caller;
    expectSuccess(result);
    expect(result.counts['3_200_Retrans']).toBeGreaterThanOrEqual(2);

    expect(oksBeforeAck.length).toBeGreaterThanOrEqual(3);
    // RFC 3261 §13.3.1.4: "an interval that starts at T1 seconds and doubles for each
    // retransmission until it reaches T2 seconds".
    const [first, second] = gaps(oksBeforeAck.map((s) => s.at));
    expect(first).toBeGreaterThanOrEqual(T1_MS - 5);
    expect(second).toBeGreaterThanOrEqual(2 * T1_MS - 5);
    // "Response retransmissions cease when an ACK request for the response is received."
    expect(sentResponses(stack, 200, 'INVITE')).toHaveLength(oksBeforeAck.length);
  });
});

describe('INVITE dialogs with SIPp over TCP', () => {
  let stack: StackEndpoint;
  let ua: UserAgent;
  let sipp: SippHandle | undefined;

  beforeEach(async () => {
    stack = await startStackEndpoint({ protocols: ['tcp'] });
    ua = stack.userAgent('bob');
  });
  afterEach(async () => {
    await sipp?.stop();
    sipp = undefined;
    await stack.stop();
  });

  it('calls a SIPp UAS and hangs up, ACK and BYE on the connection of the INVITE', async () => {
    sipp = await startSipp({ scenario: calleeScenario(), transport: 'tcp', timeoutMs: 15000 });
    const dialog = await ua.invite({
      uri: `sip:alice@127.0.0.1:${sipp.port};transport=tcp`,
      from: 'sip:bob@interop.test',
      sdp: minimalSdp('127.0.0.1', 40006),
    });
    expect((await dialog.bye()).status).toBe(200);
    const result = await sipp.done;
    assertSippSucceeded(result);
    const requests = stack.sent.filter((s) => s.message.type === 'request');
    expect(requests.map((s) => (s.message.type === 'request' ? s.message.method : ''))).toEqual([
      'INVITE',
      'ACK',
      'BYE',
    ]);
    for (const s of requests) expect(s.target).toMatchObject({ protocol: 'tcp', port: sipp.port });
    expect(requests[0]!.connectionId).toBeDefined();
    expect(new Set(requests.map((s) => s.connectionId))).toEqual(
      new Set([requests[0]!.connectionId]),
    );
  });

  it('completes a call from a SIPp UAC over TCP', async () => {
    const incoming = new Promise<IncomingCall>((resolve) => ua.onInvite(resolve));
    const caller = runSipp({
      scenario: callerScenario(),
      target: `127.0.0.1:${stack.port('tcp')}`,
      transport: 'tcp',
      args: ['-s', 'bob'],
      timeoutMs: 15000,
    });
    const call = await incoming;
    expect(call.transaction.flow.protocol).toBe('tcp');
    call.progress();
    const dialog = await call.answer({ sdp: minimalSdp('127.0.0.1', 40008) });
    await expect(dialog.ended).resolves.toEqual({ by: 'remote', reason: 'bye' });
    assertSippSucceeded(await caller);
  });
});
