import { randomBytes } from 'node:crypto';
import { createDigestClient, createRegistration, UaError } from '@sipwake/sip-stack';
import type { Registration } from '@sipwake/sip-stack';
import { createHarness, type Harness } from '../calls/test-support/harness.js';
import { device } from '../calls/test-support/fake-directory.js';
import { createDeviceBindings, type BoundEvent, type DeviceBindings } from './bindings.js';
import { createDigestServers } from './digest-servers.js';
import { createDeviceRegistrar } from './registrar.js';

const account = {
  username: 'alice',
  authUsername: 'alice-auth',
  domain: 'example.test',
  password: 'wonderland',
};

describe('device-side registrar', () => {
  let h: Harness;
  let bindings: DeviceBindings;
  let selector: string;
  let bound: BoundEvent[];

  beforeEach(async () => {
    h = await createHarness();
    selector = h.directory.add(account, [
      device('dev-1', 'apns-token-1'),
      device('dev-2', 'fcm-token-2', { provider: 'fcm', platform: 'android' }),
    ]);
    bindings = createDeviceBindings({ directory: h.directory, clock: h.clock });
    bound = [];
    bindings.onBound((e) => bound.push(e));
    const registrar = createDeviceRegistrar({
      bindings,
      digests: createDigestServers({
        directory: h.directory,
        clock: h.clock,
        realm: h.config.realm,
        nonceSecret: randomBytes(32),
      }),
      directory: h.directory,
      clock: h.clock,
      log: h.log,
      maxExpiresS: 300,
      defaultExpiresS: 120,
    });
    h.agent.layer.onRequest((tx) => void registrar.handle(tx));
  });

  afterEach(async () => {
    bindings.stop();
    await h.stop();
  });

  const registration = async (
    password: string,
    contactUri: string,
    contactParams = ';+sip.instance="<urn:uuid:00000000-0000-0000-0000-000000000001>"',
  ): Promise<Registration> => {
    const phone = await h.endpoint(5090, 'phone');
    return createRegistration({
      layer: phone.layer,
      target: h.agent.target,
      registrar: 'sip:s-x.sip.sipwake.test',
      aor: `sip:${selector}@s-x.sip.sipwake.test`,
      contact: contactUri,
      contactParams,
      digest: createDigestClient({ credentials: { username: account.authUsername, password } }),
    });
  };

  const settled = async <T>(p: Promise<T>): Promise<T> => {
    await h.settle();
    return p;
  };

  it('binds an app that registers with the account credentials and pn-* parameters', async () => {
    const reg = await registration(
      'wonderland',
      'sip:phone@127.0.0.1:5090;pn-provider=fcm;pn-prid=fcm-token-2;pn-param=proj-1',
    );
    const result = await settled(reg.register(600));
    // Expires capped at the device-side maximum.
    expect(result.expiresS).toBe(300);
    expect(result.contacts).toHaveLength(1);
    const [binding] = h.directory.get(selector)!.deviceBindings;
    expect(binding).toMatchObject({
      key: 'urn:uuid:00000000-0000-0000-0000-000000000001',
      deviceId: 'dev-2',
      target: { protocol: 'udp', address: '127.0.0.1', port: 5090 },
      expiresAtMs: h.clock.now() + 300_000,
    });
    expect(bound).toEqual([expect.objectContaining({ selector, fresh: true })]);
  });

  it('refuses a wrong password with 403 and records no binding', async () => {
    const reg = await registration('not-the-password', 'sip:phone@127.0.0.1:5090');
    const failure = await settled(reg.register(60).catch((e: unknown) => e));
    expect(failure).toBeInstanceOf(UaError);
    expect((failure as UaError).response?.status).toBe(403);
    expect(h.directory.get(selector)!.deviceBindings).toEqual([]);
    expect(bound).toEqual([]);
  });

  it('answers 404 for a selector this shard does not hold', async () => {
    const phone = await h.endpoint(5090, 'phone');
    const reg = createRegistration({
      layer: phone.layer,
      target: h.agent.target,
      registrar: 'sip:sip.sipwake.test',
      aor: `sip:${'0'.repeat(40)}@sip.sipwake.test`,
      contact: 'sip:phone@127.0.0.1:5090',
      digest: createDigestClient({ credentials: { username: 'x', password: 'y' } }),
    });
    const failure = await settled(reg.register(60).catch((e: unknown) => e));
    expect((failure as UaError).response?.status).toBe(404);
  });

  it('removes the binding on Expires 0 and when it runs out', async () => {
    const reg = await registration('wonderland', 'sip:phone@127.0.0.1:5090');
    await settled(reg.register(60));
    expect(bindings.live(selector)).toHaveLength(1);
    await settled(reg.unregister());
    expect(bindings.live(selector)).toHaveLength(0);

    await settled(reg.register(60));
    expect(bindings.live(selector)).toHaveLength(1);
    await h.advance(60_000);
    expect(h.directory.get(selector)!.deviceBindings).toEqual([]);
  });

  it('lists every binding of the instance in the 200', async () => {
    const first = await registration('wonderland', 'sip:phone@127.0.0.1:5090', '');
    await settled(first.register(60));
    const tablet = await h.endpoint(5091, 'tablet');
    const second = createRegistration({
      layer: tablet.layer,
      target: h.agent.target,
      registrar: 'sip:sip.sipwake.test',
      aor: `sip:${selector}@sip.sipwake.test`,
      contact: 'sip:tablet@127.0.0.1:5091;pn-provider=apns;pn-prid=apns-token-1',
      digest: createDigestClient({
        credentials: { username: account.authUsername, password: 'wonderland' },
      }),
    });
    const result = await settled(second.register(120));
    expect(result.contacts.map((c) => c.uri.user).sort()).toEqual(['phone', 'tablet']);
    const tabletBinding = bindings.live(selector).find((b) => b.contact.includes('tablet'));
    expect(tabletBinding?.deviceId).toBe('dev-1');
  });
});
