// The registration manager against a scripted registrar on the memory network, on a manual
// clock: refresh timing, Call-ID and CSeq, 423, back-off, Unauthorized, throttle, takeover.
import { DevicePresence, InstanceMode, InstanceState } from '@sipwake/contracts';
import { selectorFromBranch } from '@sipwake/sip-relay';
import { loadedInstance, testDevice } from './test-support/instances.js';
import { grant, startHarness, REGISTRAR } from './test-support/harness.js';
import type { Harness } from './test-support/harness.js';

const account = (n: number) => ({
  username: `user${n}`,
  domain: 'example.test',
  password: `secret-${n}`,
  registrar: `sip:${REGISTRAR}`,
});

describe('registration manager', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.stop();
  });

  it('registers, then refreshes the margin before expiry with the same Call-ID and CSeq + 1', async () => {
    h = await startHarness({ refreshMarginMs: 60_000 });
    const instance = loadedInstance(h.keyRing, { ...account(1), expiresSeconds: 600 });
    h.put(instance);
    h.manager.start();
    await h.advance(0);
    expect(h.received).toHaveLength(1);
    const first = h.received[0]!.request;
    expect(first.expires()).toBe(600);
    expect(first.headers.get('contact')).toContain(`sip:${instance.selector}@10.0.0.1:5060`);
    expect(h.directory.get(instance.selector)?.state).toBe(InstanceState.Registered);

    await h.advance(540_000 - 1);
    expect(h.received).toHaveLength(1);
    await h.advance(1);
    expect(h.received).toHaveLength(2);
    const refresh = h.received[1]!.request;
    expect(refresh.callId()).toBe(first.callId());
    expect(refresh.cseq().seq).toBe(first.cseq().seq + 1);
    const last = h.rows[h.rows.length - 1]!;
    expect(last).toMatchObject({
      selector: instance.selector,
      status: 'registered',
      callId: first.callId(),
      cseq: refresh.cseq().seq,
      lastCode: 200,
    });
    expect(last.expiresAt).toBe(h.clock.epochMs() + 600_000);
  });

  it('continues a checkpointed binding: its Call-ID and the CSeq after the stored one', async () => {
    h = await startHarness();
    const instance = loadedInstance(h.keyRing, account(2), {
      registration: {
        selector: '0'.repeat(40),
        status: 'registered',
        callId: 'kept-call-id@host',
        cseq: 41,
        expiresAt: null,
        lastCode: 200,
        lastAt: null,
        version: 7,
      },
    });
    h.put({
      ...instance,
      registration: { ...instance.registration!, selector: instance.selector },
    });
    h.manager.start();
    await h.advance(0);
    const request = h.received[0]!.request;
    expect(request.callId()).toBe('kept-call-id@host');
    expect(request.cseq().seq).toBe(42);
    expect(h.rows[h.rows.length - 1]!.version).toBeGreaterThan(7);
  });

  it('raises Expires to Min-Expires after 423 and registers at once', async () => {
    h = await startHarness();
    h.answer = (request) =>
      (request.expires() ?? 0) < 1800
        ? { status: 423, headers: [['Min-Expires', '1800']] }
        : grant(request);
    const instance = loadedInstance(h.keyRing, { ...account(3), expiresSeconds: 300 });
    h.put(instance);
    h.manager.start();
    await h.advance(0);
    await h.advance(20); // the next throttle slot (50/s)
    expect(h.received.map((r) => r.request.expires())).toEqual([300, 1800]);
    expect(h.directory.get(instance.selector)?.state).toBe(InstanceState.Registered);
  });

  it('backs off with doubling waits after 5xx, becomes Error after repeated failures, honours Retry-After', async () => {
    h = await startHarness({ backoffMinMs: 1000, backoffMaxMs: 8000, errorAfterFailures: 3 });
    h.answer = () => ({ status: 500 });
    const instance = loadedInstance(h.keyRing, account(4));
    h.put(instance);
    h.manager.start();
    await h.advance(0);
    // random() = 0.5 → three quarters of the ceiling: 750, 1500, 3000, 6000, 6000.
    for (const wait of [750, 1500, 3000, 6000, 6000]) {
      const before = h.received.length;
      await h.advance(wait - 1);
      expect(h.received).toHaveLength(before);
      await h.advance(1);
      expect(h.received).toHaveLength(before + 1);
    }
    expect(h.directory.get(instance.selector)?.state).toBe(InstanceState.Error);

    h.answer = () => ({ status: 503, headers: [['Retry-After', '120']] });
    await h.advance(6000);
    const before = h.received.length;
    await h.advance(119_999);
    expect(h.received).toHaveLength(before);
    h.answer = grant;
    await h.advance(1);
    expect(h.received).toHaveLength(before + 1);
    expect(h.directory.get(instance.selector)?.state).toBe(InstanceState.Registered);
  });

  it('makes 403 Unauthorized and tries again only after the long wait', async () => {
    h = await startHarness({ unauthorizedRetryMs: 3_600_000 });
    h.answer = () => ({ status: 403 });
    const instance = loadedInstance(h.keyRing, account(5));
    h.put(instance);
    h.manager.start();
    await h.advance(0);
    expect(h.directory.get(instance.selector)?.state).toBe(InstanceState.Unauthorized);
    await h.advance(3_600_000 - 1);
    expect(h.received).toHaveLength(1);
    await h.advance(1);
    expect(h.received).toHaveLength(2);
  });

  it('follows a 3xx Contact once', async () => {
    h = await startHarness();
    h.answer = (request) =>
      request.uri.includes('moved')
        ? grant(request)
        : { status: 302, headers: [['Contact', `<sip:moved@${REGISTRAR}:5060>`]] };
    const instance = loadedInstance(h.keyRing, account(6));
    h.put(instance);
    h.manager.start();
    await h.advance(0);
    await h.advance(20);
    expect(h.received.map((r) => r.request.uri)).toEqual([
      `sip:${REGISTRAR}`,
      `sip:moved@${REGISTRAR}:5060`,
    ]);
    expect(h.directory.get(instance.selector)?.state).toBe(InstanceState.Registered);
  });

  it('sends at most registrationsPerSecond REGISTERs a second, soonest expiry first', async () => {
    h = await startHarness({ registrationsPerSecond: 10 });
    const expiries = [5, 3, 9, 1, 7, 2, 8, 4, 6, 0, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
    const selectorsByExpiry = new Map<number, string>();
    expiries.forEach((e, i) => {
      const instance = loadedInstance(h.keyRing, account(100 + i));
      selectorsByExpiry.set(e, instance.selector);
      h.put({
        ...instance,
        registration: {
          selector: instance.selector,
          status: 'registered',
          callId: `c${i}`,
          cseq: 1,
          expiresAt: h.clock.epochMs() + 3_600_000 + e * 1000,
          lastCode: 200,
          lastAt: null,
          version: 1,
        },
      });
    });
    h.manager.start();
    await h.advance(0);
    for (let ms = 0; ms < 990; ms += 10) await h.advance(10);
    expect(h.received.length).toBeLessThanOrEqual(10);
    expect(h.received.length).toBeGreaterThanOrEqual(9);
    const gaps = h.received.slice(1).map((r, i) => r.at - h.received[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
    const order = h.received.map((r) => r.request.callId());
    expect(order.slice(0, 3)).toEqual([0, 1, 2].map((e) => `c${expiries.indexOf(e)}`));
    await h.advance(1100);
    expect(h.received).toHaveLength(20);
  });

  it('takeover: registers after every device is in the background for the delay, unregisters on foreground', async () => {
    h = await startHarness({ takeoverDelayMs: 60_000 });
    const now = h.clock.epochMs();
    const instance = loadedInstance(h.keyRing, account(7), {
      mode: InstanceMode.Takeover,
      devices: [testDevice('d1', { presence: DevicePresence.Background, lastSeenAt: now })],
    });
    h.put(instance);
    h.manager.start();
    await h.advance(0);
    expect(h.received).toHaveLength(0);
    expect(h.directory.get(instance.selector)?.state).toBe(InstanceState.Idle);
    await h.advance(60_000);
    expect(h.received).toHaveLength(1);
    expect(h.directory.get(instance.selector)?.state).toBe(InstanceState.Registered);

    h.directory.applyDevice({
      type: 'presence',
      selector: instance.selector,
      deviceId: 'd1',
      presence: DevicePresence.Foreground,
      at: h.clock.epochMs(),
    });
    await h.advance(20);
    expect(h.received).toHaveLength(2);
    const removal = h.received[1]!.request;
    expect(removal.expires()).toBe(0);
    expect(removal.headers.get('contact')).toContain(`sip:${instance.selector}@`);
    expect(removal.headers.get('contact')).toContain('expires=0');
    expect(h.directory.get(instance.selector)?.state).toBe(InstanceState.Idle);

    h.directory.applyDevice({
      type: 'presence',
      selector: instance.selector,
      deviceId: 'd1',
      presence: DevicePresence.Background,
      at: h.clock.epochMs(),
    });
    await h.advance(59_999);
    expect(h.received).toHaveLength(2);
    await h.advance(1);
    expect(h.received).toHaveLength(3);
    expect(h.received[2]!.request.expires()).toBeGreaterThan(0);
  });

  it('unregisters a removed instance and forgets it', async () => {
    h = await startHarness();
    const instance = loadedInstance(h.keyRing, account(8));
    h.put(instance);
    h.manager.start();
    await h.advance(0);
    h.directory.remove(instance.selector);
    await h.advance(20);
    expect(h.received.map((r) => r.request.expires())).toEqual([3600, 0]);
    expect(h.manager.pending()).toBe(0);
    expect(Object.values(h.manager.countByState()).reduce((a, b) => a + b)).toBe(0);
  });
});

describe('registration manager under the relay transport', () => {
  it('puts the selector into the top Via branch of every REGISTER attempt', async () => {
    const h = await startHarness({}, { sentBy: { host: 'sip.example.net', port: 5070 } });
    try {
      const instance = loadedInstance(h.keyRing, account(9));
      let challenged = false;
      h.answer = (request) => {
        if (challenged) return grant(request);
        challenged = true;
        return {
          status: 401,
          headers: [['WWW-Authenticate', 'Digest realm="example.test", nonce="n1", qop="auth"']],
        };
      };
      h.put(instance);
      h.manager.start();
      await h.advance(0);
      expect(h.received).toHaveLength(2);
      const vias = h.received.map((r) => r.request.topVia());
      expect(vias.map((v) => selectorFromBranch(v.branch ?? ''))).toEqual([
        instance.selector,
        instance.selector,
      ]);
      expect(vias[0]!.branch).not.toBe(vias[1]!.branch);
      expect(vias.map((v) => `${v.host}:${v.port}`)).toEqual([
        'sip.example.net:5070',
        'sip.example.net:5070',
      ]);
      expect(h.received[1]!.request.headers.get('authorization')).toContain('username="user9"');
      expect(h.directory.get(instance.selector)?.state).toBe(InstanceState.Registered);
    } finally {
      await h.stop();
    }
  });
});
