// Expiry on a manual clock, with the real directory and registration manager against a scripted
// registrar (memory network): warnings 12 h and 1 h before, then the store's delete, Expires: 0
// upstream and the expired push; activity in between starts the clock again.
import { ExpireOutcome, PushType } from '@sipwake/contracts';
import type { ExpireInstance, LoadedInstance, PushRequest } from '@sipwake/contracts';
import { settingsDefaults } from '../config.js';
import { AgentError } from '../errors.js';
import type { PushClient } from '../ports.js';
import { REGISTRAR, startHarness } from '../registration/test-support/harness.js';
import type { Harness } from '../registration/test-support/harness.js';
import { loadedInstance, testDevice } from '../registration/test-support/instances.js';
import { createExpiry } from './expiry.js';
import type { Expiry, ExpirySettings } from './expiry.js';

const H = 3_600_000;
const DAY = 24 * H;
const settings: ExpirySettings = { ...settingsDefaults, shard: 'shard-a', expiryRetryMs: 60_000 };

type Answer = ExpireOutcome | 'fail';

interface Rig {
  readonly h: Harness;
  readonly expiry: Expiry;
  readonly pushes: PushRequest[];
  readonly requests: ExpireInstance[];
  readonly answers: Answer[];
  readonly reloads: string[];
  instance: LoadedInstance;
}

async function rig(over: Partial<LoadedInstance> = {}): Promise<Rig> {
  const h = await startHarness();
  const pushes: PushRequest[] = [];
  const requests: ExpireInstance[] = [];
  const answers: Answer[] = [];
  const reloads: string[] = [];
  const push: PushClient = {
    push: (request) => {
      pushes.push(request);
      return Promise.resolve({ results: [] });
    },
  };
  const instance = loadedInstance(
    h.keyRing,
    {
      username: 'alice',
      domain: 'example.test',
      password: 'secret',
      registrar: `sip:${REGISTRAR}`,
      expiresSeconds: 60 * 24 * 3600, // no refresh within the test
    },
    { devices: [testDevice('d1', { lastSeenAt: h.clock.epochMs() })], ...over },
  );
  const r: Rig = { h, expiry: undefined as never, pushes, requests, answers, reloads, instance };
  const expiry = createExpiry({
    directory: h.directory,
    clock: h.clock,
    settings,
    store: {
      expire: (request) => {
        requests.push(request);
        const answer = answers.shift() ?? ExpireOutcome.Deleted;
        if (answer === 'fail') return Promise.reject(new AgentError('EXPIRE_FAILED', 'timeout'));
        return Promise.resolve(answer);
      },
    },
    reload: (selector) => {
      reloads.push(selector);
      return Promise.resolve(r.instance);
    },
    push,
    log: { debug() {}, info() {}, warn() {} },
  });
  Object.assign(r, { expiry });
  h.put(instance);
  h.manager.start();
  expiry.start();
  await h.advance(0);
  return r;
}

const types = (r: Rig): string[] => r.pushes.map((p) => p.type);
const expiresOf = (r: Rig): (number | undefined)[] => r.h.received.map((x) => x.request.expires());

describe('expiry', () => {
  let r: Rig | undefined;
  afterEach(async () => {
    await r?.expiry.stop();
    await r?.h.stop();
    r = undefined;
  });

  it('warns 12 h and 1 h before, then deletes, sends Expires: 0 and the expired push', async () => {
    r = await rig();
    const heardAt = r.h.clock.epochMs();
    expect(expiresOf(r)).toEqual([60 * 24 * 3600]);

    await r.h.advance(7 * DAY - 12 * H - 1);
    expect(r.pushes).toEqual([]);
    await r.h.advance(1);
    expect(types(r)).toEqual([PushType.Warning]);
    expect(r.pushes[0]).toMatchObject({
      selector: r.instance.selector,
      host: 'sipwake.local',
      devices: [{ deviceId: 'd1', token: 'token-d1' }],
    });

    await r.h.advance(11 * H - 1);
    expect(types(r)).toEqual([PushType.Warning]);
    await r.h.advance(1);
    expect(types(r)).toEqual([PushType.Warning, PushType.Warning]);
    expect(r.requests).toEqual([]);

    await r.h.advance(H);
    expect(r.requests).toEqual([
      { shard: 'shard-a', selector: r.instance.selector, version: 1, lastHeardAt: heardAt },
    ]);
    expect(r.h.directory.get(r.instance.selector)).toBeUndefined();
    await r.h.advance(0); // the throttle's slot for the REGISTER
    expect(expiresOf(r)).toEqual([60 * 24 * 3600, 0]);
    expect(r.h.received[1]!.request.headers.get('contact')).toContain(r.instance.selector);
    expect(types(r)).toEqual([PushType.Warning, PushType.Warning, PushType.Expired]);
    expect(r.expiry.stats()).toMatchObject({ tracked: 0, warningsSent: 2, expired: 1 });
  });

  it.each([
    ['a device event', (x: Rig) => x.h.directory.applyDevice(deviceEvent(x))],
    ['an instance change', (x: Rig) => x.h.put({ ...x.instance, version: 2 })],
    [
      'a device-side binding',
      (x: Rig) => x.h.directory.setDeviceBinding(x.instance.selector, binding(x)),
    ],
  ])('starts the clock again on %s', async (_what, act) => {
    r = await rig();
    await r.h.advance(7 * DAY - 12 * H);
    expect(types(r)).toEqual([PushType.Warning]);
    act(r);
    const heardAgain = r.h.clock.epochMs();
    expect(r.expiry.deadlineOf(r.instance.selector)).toBe(heardAgain + 7 * DAY);

    await r.h.advance(12 * H);
    expect(r.requests).toEqual([]);
    expect(types(r)).toEqual([PushType.Warning]);
    await r.h.advance(7 * DAY - 24 * H);
    expect(types(r)).toEqual([PushType.Warning, PushType.Warning]);
    await r.h.advance(12 * H);
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]!.lastHeardAt).toBe(heardAgain);
  });

  it('keeps the instance when the store saw the app later, and starts the clock again', async () => {
    r = await rig();
    r.answers.push(ExpireOutcome.Kept);
    await r.h.advance(7 * DAY);
    expect(r.requests).toHaveLength(1);
    expect(r.reloads).toEqual([r.instance.selector]);
    expect(r.h.directory.get(r.instance.selector)).toBeDefined();
    expect(expiresOf(r)).toEqual([60 * 24 * 3600]);
    expect(types(r)).toEqual([PushType.Warning, PushType.Warning]);
    expect(r.expiry.deadlineOf(r.instance.selector)).toBe(r.h.clock.epochMs() + 7 * DAY);
    expect(r.expiry.stats()).toMatchObject({ kept: 1, expired: 0, tracked: 1 });
  });

  it('retries an unanswered expiry; a later "gone" is then its own delete', async () => {
    r = await rig();
    r.answers.push('fail', ExpireOutcome.Gone);
    await r.h.advance(7 * DAY);
    expect(r.requests).toHaveLength(1);
    expect(r.h.directory.get(r.instance.selector)).toBeDefined();
    await r.h.advance(60_000);
    expect(r.requests).toHaveLength(2);
    expect(r.h.directory.get(r.instance.selector)).toBeUndefined();
    expect(types(r).at(-1)).toBe(PushType.Expired);
    expect(r.expiry.stats()).toMatchObject({ failedRequests: 1, expired: 1 });
  });

  it('forgets without an expired push an instance the app already removed', async () => {
    r = await rig();
    r.answers.push(ExpireOutcome.Gone);
    await r.h.advance(7 * DAY);
    expect(r.h.directory.get(r.instance.selector)).toBeUndefined();
    expect(types(r)).toEqual([PushType.Warning, PushType.Warning]);
    await r.h.advance(0);
    expect(expiresOf(r)).toEqual([60 * 24 * 3600, 0]);
  });

  it('gives an instance met after its deadline the 1 h warning before deleting it', async () => {
    const h = await startHarness();
    const old = h.clock.epochMs() - 30 * DAY;
    await h.stop();
    r = await rig({ devices: [testDevice('d1', { lastSeenAt: old })] });
    expect(types(r)).toEqual([PushType.Warning]);
    await r.h.advance(H - 1);
    expect(r.requests).toEqual([]);
    await r.h.advance(1);
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]!.lastHeardAt).toBe(old);
  });

  it('pushes no device whose token is dead', async () => {
    r = await rig({ devices: [testDevice('d1', { lastSeenAt: null, tokenDead: true })] });
    await r.h.advance(7 * DAY);
    expect(r.pushes).toEqual([]);
    expect(r.requests).toHaveLength(1);
  });

  it('refuses warning leads that are not shorter than the max age', async () => {
    const h = await startHarness();
    expect(() =>
      createExpiry({
        directory: h.directory,
        clock: h.clock,
        settings: { ...settings, maxAgeMs: H, warningsBeforeMs: [12 * H, H] },
        store: { expire: () => Promise.resolve(ExpireOutcome.Deleted) },
        reload: () => Promise.resolve(null),
        push: { push: () => Promise.resolve({ results: [] }) },
        log: { debug() {}, info() {}, warn() {} },
      }),
    ).toThrow(expect.objectContaining({ code: 'BAD_SETTINGS' }));
    await h.stop();
  });
});

function deviceEvent(r: Rig) {
  return {
    type: 'presence' as const,
    selector: r.instance.selector,
    deviceId: 'd1',
    presence: 'background' as const,
    at: r.h.clock.epochMs(),
  };
}

function binding(r: Rig) {
  return {
    key: 'app-1',
    deviceId: 'd1',
    contact: 'sip:app@10.0.0.9:5060',
    target: { protocol: 'udp' as const, address: '10.0.0.9', port: 5060 },
    expiresAtMs: r.h.clock.now() + 600_000,
  };
}
