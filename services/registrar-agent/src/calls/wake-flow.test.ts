import type { UserAgent } from '@sipwake/sip-stack';
import type { CallSide } from '../ports.js';
import { device } from './test-support/fake-directory.js';
import { ACCOUNT, deviceEndpoint, sendInvite, wireCallSide } from './test-support/calls-harness.js';
import {
  createHarness,
  WAKE_T1_MS,
  WAKE_T2_MS,
  type Endpoint,
  type Harness,
} from './test-support/harness.js';

describe('the INVITE wake flow', () => {
  let h: Harness;
  let side: CallSide;
  let selector: string;
  let caller: Endpoint & { readonly ua: UserAgent };

  beforeEach(async () => {
    h = await createHarness();
    selector = h.directory.add(ACCOUNT, [device('dev-1', 'apns-token-1')]);
    side = wireCallSide(h);
    caller = await h.endpoint(5080, 'bob');
  });

  afterEach(async () => {
    await side.stop();
    await h.stop();
  });

  it('rings with Alerting-Device, pushes the call to every device, then says Push-Notification-Sent', async () => {
    const invite = sendInvite(caller, h, selector);
    await h.settle();
    expect(invite.statuses()).toEqual(['Alerting-Device', 'Push-Notification-Sent']);
    expect(h.push.requests).toEqual([
      {
        type: 'call',
        selector,
        callId: invite.request.callId(),
        caller: { uri: 'sip:bob@example.test', displayName: 'Bob Caller' },
        host: `s-${selector[0]}.sip.sipwake.test`,
        devices: [
          {
            deviceId: 'dev-1',
            provider: 'apns',
            token: 'apns-token-1',
            appId: 'org.example.phone',
            platform: 'ios',
          },
        ],
      },
    ]);
    expect(invite.finals).toEqual([]);
  });

  it('answers 480 No-Response-From-Device when T1 runs out', async () => {
    const invite = sendInvite(caller, h, selector);
    await h.settle();
    await h.advance(WAKE_T1_MS - 1);
    expect(invite.finals).toEqual([]);
    await h.advance(1);
    expect(invite.finals.map((r) => [r.status, r.headers.get('x-sipwake-reason')])).toEqual([
      [480, 'No-Response-From-Device'],
    ]);
    expect(h.records).toEqual([
      {
        selector,
        callId: invite.request.callId(),
        direction: 'inbound',
        caller: 'sip:bob@example.test',
        startedAt: 1_700_000_000_000,
        answeredAt: null,
        endedAt: 1_700_000_000_000 + WAKE_T1_MS,
        outcome: 'missed',
        pushStatus: 'Push-Notification-Sent',
      },
    ]);
  });

  it('says Device-Making-Progress on about-to-answer, stops T1 and answers 480 Device-Did-Not-Answer when T2 runs out', async () => {
    const invite = sendInvite(caller, h, selector);
    await h.settle();
    await h.advance(10_000);
    side.handleDeviceEvent({
      type: 'about-to-answer',
      selector,
      deviceId: 'dev-1',
      callId: invite.request.callId(),
      at: h.clock.epochMs(),
    });
    await h.settle();
    expect(invite.statuses()).toEqual([
      'Alerting-Device',
      'Push-Notification-Sent',
      'Device-Making-Progress',
    ]);
    await h.advance(WAKE_T2_MS - 1);
    expect(invite.finals).toEqual([]);
    await h.advance(1);
    expect(invite.finals.map((r) => [r.status, r.headers.get('x-sipwake-reason')])).toEqual([
      [480, 'Device-Did-Not-Answer'],
    ]);
    // T1 was stopped: nothing more comes when it would have run out.
    await h.advance(WAKE_T1_MS);
    expect(invite.finals).toHaveLength(1);
  });

  it('ignores about-to-answer for another Call-ID', async () => {
    const invite = sendInvite(caller, h, selector);
    await h.settle();
    side.handleDeviceEvent({
      type: 'about-to-answer',
      selector,
      deviceId: 'dev-1',
      callId: 'some-other-call',
      at: h.clock.epochMs(),
    });
    await h.settle();
    expect(invite.statuses()).toEqual(['Alerting-Device', 'Push-Notification-Sent']);
  });

  it('answers 480 Push-Failed and reports the dead token when every device refused the push', async () => {
    const dead: string[] = [];
    await side.stop();
    side = wireCallSide(h, {
      deadTokens: {
        deadToken: (d) => dead.push(`${d.selector}/${d.deviceId}/${d.token}/${d.reason}`),
      },
    });
    h.push.answerWith(async (request) => ({
      results: request.devices.map((d) => ({
        deviceId: d.deviceId,
        outcome: 'unregistered' as const,
      })),
    }));
    const invite = sendInvite(caller, h, selector);
    await h.settle();
    expect(invite.statuses()).toEqual(['Alerting-Device']);
    expect(invite.finals.map((r) => [r.status, r.headers.get('x-sipwake-reason')])).toEqual([
      [480, 'Push-Failed'],
    ]);
    expect(dead).toEqual([`${selector}/dev-1/apns-token-1/unregistered`]);

    // The device is not pushed again: the next call finds nothing to wake.
    const next = sendInvite(caller, h, selector);
    await h.settle();
    expect(next.finals.map((r) => [r.status, r.headers.get('x-sipwake-reason')])).toEqual([
      [480, 'No-Device'],
    ]);
    expect(h.push.requests).toHaveLength(1);
  });

  it('answers 480 Push-Failed when the push service fails', async () => {
    h.push.answerWith(() =>
      Promise.reject(Object.assign(new Error('no responders'), { code: 'PUSH_FAILED' })),
    );
    const invite = sendInvite(caller, h, selector);
    await h.settle();
    expect(invite.finals.map((r) => r.headers.get('x-sipwake-reason'))).toEqual(['Push-Failed']);
  });

  it('answers 480 No-Device for an instance without devices, and 404 for one it does not hold', async () => {
    const lonely = h.directory.add({ ...ACCOUNT, username: 'carol' }, []);
    const first = sendInvite(caller, h, lonely);
    const second = sendInvite(caller, h, 'f'.repeat(40));
    await h.settle();
    expect(first.finals.map((r) => [r.status, r.headers.get('x-sipwake-reason')])).toEqual([
      [480, 'No-Device'],
    ]);
    expect(second.finals.map((r) => r.status)).toEqual([404]);
    expect(h.push.requests).toEqual([]);
  });

  it('handles a second INVITE for the same instance on its own', async () => {
    const first = sendInvite(caller, h, selector);
    await h.settle();
    await h.advance(30_000);
    const second = sendInvite(caller, h, selector);
    await h.settle();
    expect(h.push.requests.map((r) => r.callId)).toEqual([
      first.request.callId(),
      second.request.callId(),
    ]);
    await h.advance(WAKE_T1_MS - 30_000);
    expect(first.finals.map((r) => r.status)).toEqual([480]);
    expect(second.finals).toEqual([]);
    await h.advance(30_000);
    expect(second.finals.map((r) => r.status)).toEqual([480]);
  });

  it('forks to a device that registers while the call waits, after Device-Making-Progress', async () => {
    const invite = sendInvite(caller, h, selector);
    await h.settle();
    const phone = await deviceEndpoint(h, 5090, 'phone', selector);
    const incoming: string[] = [];
    phone.ua.onInvite((call) => {
      incoming.push(call.request.callId());
      call.progress();
    });
    const registered = phone.registration.register(60);
    await h.settle();
    await registered;
    expect(incoming).toEqual([invite.request.callId()]);
    expect(invite.statuses()).toEqual([
      'Alerting-Device',
      'Push-Notification-Sent',
      'Device-Making-Progress',
      // The device's own 180, passed back.
      undefined,
    ]);
  });
});
