import { parseMessage } from '@sipwake/sip-parser';
import type { SipRequest } from '@sipwake/sip-parser';
import type { Dialog, IncomingCall, UserAgent } from '@sipwake/sip-stack';
import type { CallSide } from '../ports.js';
import { device } from './test-support/fake-directory.js';
import {
  ACCOUNT,
  deviceEndpoint,
  sendInvite,
  wireCallSide,
  type RegisteredDevice,
} from './test-support/calls-harness.js';
import { createHarness, type Endpoint, type Harness } from './test-support/harness.js';

describe('forking and staying in the path', () => {
  let h: Harness;
  let side: CallSide;
  let selector: string;
  let caller: Endpoint & { readonly ua: UserAgent };

  beforeEach(async () => {
    h = await createHarness();
    selector = h.directory.add(ACCOUNT, [
      device('dev-1', 'apns-token-1'),
      device('dev-2', 'fcm-token-2', { provider: 'fcm', platform: 'android' }),
    ]);
    side = wireCallSide(h);
    caller = await h.endpoint(5080, 'bob');
  });

  afterEach(async () => {
    await side.stop();
    await h.stop();
  });

  /** Requests that reached the device on `port`, as received. */
  const receivedBy = (port: number, method: string): SipRequest[] =>
    h.network
      .sent()
      .filter((p) => p.flow.remote.port === port)
      .map((p) => parseMessage(p.bytes, { datagram: true }))
      .filter((m): m is SipRequest => m.type === 'request' && m.method === method);

  const register = async (d: RegisteredDevice): Promise<void> => {
    const done = d.registration.register(60);
    await h.settle();
    await done;
  };

  it('proxies to a live device at once, record-routed, and stays in the path for ACK and BYE', async () => {
    const phone = await deviceEndpoint(h, 5090, 'phone', selector);
    await register(phone);
    const answered: Promise<Dialog>[] = [];
    phone.ua.onInvite((call) => answered.push(call.answer({ sdp: 'v=0\r\n' })));

    const calling = caller.ua.invite({
      uri: `sip:${selector}@127.0.0.1:${h.agent.port}`,
      from: 'sip:bob@example.test',
      target: h.agent.target,
      sdp: 'v=0\r\n',
    });
    await h.settle();
    const callerDialog = await calling;
    const deviceDialog = await answered[0]!;
    expect(h.push.requests).toEqual([]);

    const [forwarded] = receivedBy(5090, 'INVITE');
    expect(forwarded!.uri).toBe('sip:phone@127.0.0.1:5090');
    expect(forwarded!.maxForwards()).toBe(69);
    expect(forwarded!.topVia().branch).toMatch(new RegExp(`^z9hG4bKsw${selector}-`));
    expect(forwarded!.recordRoute()[0]!.uri.params['sw']).toBe(selector);
    expect(callerDialog.routeSet).toHaveLength(1);
    // The caller's ACK went through the agent to the device (its answer resolved on it).
    expect(receivedBy(5090, 'ACK')).toHaveLength(1);

    const bye = callerDialog.bye();
    await h.settle();
    expect((await bye).status).toBe(200);
    await expect(deviceDialog.ended).resolves.toMatchObject({ by: 'remote' });
    expect(receivedBy(5090, 'BYE')[0]!.route()).toEqual([]);
    expect(h.records).toEqual([
      expect.objectContaining({
        outcome: 'answered',
        pushStatus: null,
        answeredAt: expect.any(Number),
      }),
    ]);
  });

  it('lets the device hang up through the Record-Route', async () => {
    const phone = await deviceEndpoint(h, 5090, 'phone', selector);
    await register(phone);
    const answered: Promise<Dialog>[] = [];
    phone.ua.onInvite((call) => answered.push(call.answer({ sdp: 'v=0\r\n' })));
    const calling = caller.ua.invite({
      uri: `sip:${selector}@127.0.0.1:${h.agent.port}`,
      from: 'sip:bob@example.test',
      target: h.agent.target,
    });
    await h.settle();
    const callerDialog = await calling;
    const deviceDialog = await answered[0]!;
    const bye = deviceDialog.bye();
    await h.settle();
    expect((await bye).status).toBe(200);
    await expect(callerDialog.ended).resolves.toMatchObject({ by: 'remote' });
  });

  it('forks to two woken devices: the first 2xx wins and the other branch is CANCELled', async () => {
    const invite = sendInvite(caller, h, selector);
    await h.settle();
    const phone = await deviceEndpoint(
      h,
      5090,
      'phone',
      selector,
      ';pn-provider=apns;pn-prid=apns-token-1',
    );
    const tablet = await deviceEndpoint(
      h,
      5091,
      'tablet',
      selector,
      ';pn-provider=fcm;pn-prid=fcm-token-2',
    );
    const phoneCalls: IncomingCall[] = [];
    const tabletCancelled: string[] = [];
    phone.ua.onInvite((call) => {
      phoneCalls.push(call);
      call.progress();
    });
    tablet.ua.onInvite((call) => {
      call.progress();
      call.onCancel(() => tabletCancelled.push(call.request.callId()));
    });
    await register(phone);
    await register(tablet);
    expect(receivedBy(5090, 'INVITE')).toHaveLength(1);
    expect(receivedBy(5091, 'INVITE')).toHaveLength(1);

    void phoneCalls[0]!.answer({ sdp: 'v=0\r\n' }).catch(() => undefined);
    await h.settle();
    expect(invite.finals.map((r) => r.status)).toEqual([200]);
    expect(invite.finals[0]!.to().tag).toBe(phoneCalls[0]!.toTag);
    expect(tabletCancelled).toEqual([invite.request.callId()]);
    const [cancel] = receivedBy(5091, 'CANCEL');
    expect(cancel!.headers.get('reason')).toContain('cause=200');
    expect(receivedBy(5090, 'CANCEL')).toEqual([]);
  });

  it('CANCEL from upstream: the branches are cancelled, 487, and a missed-call push', async () => {
    const invite = sendInvite(caller, h, selector);
    await h.settle();
    const phone = await deviceEndpoint(h, 5090, 'phone', selector);
    const cancelled: string[] = [];
    phone.ua.onInvite((call) => {
      call.progress();
      call.onCancel(() => cancelled.push(call.request.callId()));
    });
    await register(phone);
    caller.layer.sendCancel(invite.tx);
    await h.settle();
    expect(invite.finals.map((r) => r.status)).toEqual([487]);
    expect(cancelled).toEqual([invite.request.callId()]);
    expect(h.push.requests.map((r) => r.type)).toEqual(['call', 'missed-call']);
    expect(h.push.requests[1]).toMatchObject({
      callId: invite.request.callId(),
      caller: { uri: 'sip:bob@example.test' },
    });
  });

  it('CANCEL with Reason SIP;cause=200 sends an answered-elsewhere push instead', async () => {
    const invite = sendInvite(caller, h, selector);
    await h.settle();
    caller.layer.sendCancel(invite.tx, {
      headers: [['Reason', 'SIP;cause=200;text="Call completed elsewhere"']],
    });
    await h.settle();
    expect(invite.finals.map((r) => r.status)).toEqual([487]);
    expect(h.push.requests.map((r) => r.type)).toEqual(['call', 'answered-elsewhere']);
    expect(h.records.map((r) => r.outcome)).toEqual(['answered-elsewhere']);
  });

  it('passes a device refusal back as the best response', async () => {
    const phone = await deviceEndpoint(h, 5090, 'phone', selector);
    await register(phone);
    phone.ua.onInvite((call) => call.reject(603, 'Decline'));
    const invite = sendInvite(caller, h, selector);
    await h.settle();
    expect(invite.finals.map((r) => r.status)).toEqual([603]);
    expect(h.records.map((r) => r.outcome)).toEqual(['rejected']);
    expect(h.push.requests).toEqual([]);
  });

  it('wakes the app when the live binding turned out stale', async () => {
    const phone = await deviceEndpoint(h, 5090, 'phone', selector);
    await register(phone);
    await phone.transport.stop();
    phone.layer.stop();
    const invite = sendInvite(caller, h, selector);
    await h.settle();
    // Timer B (64*T1) ends the branch; steps of T1 let the caller's retransmissions be answered.
    for (let i = 0; i < 64; i++) await h.advance(500);
    expect(invite.statuses()).toEqual(['Alerting-Device', 'Push-Notification-Sent']);
    expect(h.push.requests.map((r) => r.type)).toEqual(['call']);

    // The woken app registers from elsewhere: T2 runs from now, not from the first attempt.
    const tablet = await deviceEndpoint(h, 5091, 'tablet', selector);
    tablet.ua.onInvite((call) => call.progress());
    await register(tablet);
    expect(invite.statuses()).toContain('Device-Making-Progress');
    await h.advance(40_000);
    expect(invite.finals).toEqual([]);
    await h.advance(20_000);
    expect(invite.finals.map((r) => r.headers.get('x-sipwake-reason'))).toEqual([
      'Device-Did-Not-Answer',
    ]);
  });
});
