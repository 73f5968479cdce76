import { randomBytes } from 'node:crypto';
import { createInProcessBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import { decodeMessage, DeviceToken, encodeMessage, RecordAck, subjects } from '@sipwake/contracts';
import { createDigestClient, createRegistration, UaError } from '@sipwake/sip-stack';
import type { Registration } from '@sipwake/sip-stack';
import { waitFor } from '@sipwake/testkit';
import { createHarness, type Harness } from '../calls/test-support/harness.js';
import { device } from '../calls/test-support/fake-directory.js';
import { pushRequestFor } from '../calls/wake-push.js';
import { createDeviceBindings, type BoundEvent, type DeviceBindings } from './bindings.js';
import { createDeviceTokens } from './device-tokens.js';
import { createDigestServers } from './digest-servers.js';
import { createDeviceRegistrar } from './registrar.js';
import { createBusDeviceTokenSink, type DeviceTokenSink } from './token-sink.js';

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
  let bus: Bus;
  let sink: DeviceTokenSink;
  /** Records handed to the sink (synchronously), and those the store stand-in received. */
  let handed: DeviceToken[];
  let stored: DeviceToken[];

  beforeEach(async () => {
    h = await createHarness();
    selector = h.directory.add(account, [
      device('dev-1', 'apns-token-1'),
      device('dev-2', 'fcm-token-2', { provider: 'fcm', platform: 'android', tokenDead: true }),
    ]);
    bindings = createDeviceBindings({ directory: h.directory, clock: h.clock });
    bound = [];
    bindings.onBound((e) => bound.push(e));
    bus = createInProcessBus();
    handed = [];
    stored = [];
    bus.subscribe(subjects.stateDeviceToken, (m) => {
      stored.push(decodeMessage(DeviceToken, m.data));
      m.respond(encodeMessage(RecordAck, { outcome: 'written' }));
    });
    const busSink = createBusDeviceTokenSink({ bus, clock: h.clock, log: h.log, timeoutMs: 2000 });
    sink = {
      deviceToken: (record) => {
        handed.push(record);
        busSink.deviceToken(record);
      },
      stop: () => busSink.stop(),
    };
    const registrar = createDeviceRegistrar({
      bindings,
      tokens: createDeviceTokens({ directory: h.directory, sink, clock: h.clock, log: h.log }),
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
    sink.stop();
    await bus.close();
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
    // The token it named is the one held: nothing to store.
    expect(handed).toEqual([]);
  });

  it('takes a new pn-prid: the directory holds it at once, the record goes to the store', async () => {
    // dev-2's token was declared dead: it is not pushed.
    const before = pushRequestFor('call', h.directory.get(selector)!, undefined, h.config);
    expect(before?.devices.map((d) => d.deviceId)).toEqual(['dev-1']);

    const reg = await registration(
      'wonderland',
      'sip:phone@127.0.0.1:5090;pn-provider=fcm;pn-prid=fcm-token-NEW;pn-param=proj-1',
    );
    await settled(reg.register(120));
    const record = {
      selector,
      deviceId: 'dev-2',
      provider: 'fcm',
      token: 'fcm-token-NEW',
      at: h.clock.epochMs(),
    };
    expect(handed).toEqual([record]);
    expect(h.directory.get(selector)!.devices[1]).toMatchObject({
      deviceId: 'dev-2',
      token: 'fcm-token-NEW',
      tokenDead: false,
    });
    expect(h.directory.get(selector)!.deviceBindings[0]?.deviceId).toBe('dev-2');
    // The next push goes to the new token (and to the revived device).
    const after = pushRequestFor('call', h.directory.get(selector)!, undefined, h.config);
    expect(after?.devices.find((d) => d.deviceId === 'dev-2')?.token).toBe('fcm-token-NEW');
    await waitFor(() => stored.length === 1, { timeoutMs: 2000 });
    expect(stored).toEqual([record]);
    await waitFor(() => h.log.lines.includes('debug device token recorded'), { timeoutMs: 2000 });

    // A refresh with the same token changes nothing more.
    await settled(reg.register(120));
    expect(handed).toHaveLength(1);
  });

  it('takes an APNs VoIP token when pn-param names a .voip topic, keeping the push token', async () => {
    const reg = await registration(
      'wonderland',
      'sip:phone@127.0.0.1:5090;pn-provider=apns;pn-prid=voip-NEW;pn-param=ABCD1234.org.example.phone.voip',
    );
    await settled(reg.register(120));
    expect(handed).toEqual([
      {
        selector,
        deviceId: 'dev-1',
        provider: 'apns',
        token: 'apns-token-1',
        voipToken: 'voip-NEW',
        at: h.clock.epochMs(),
      },
    ]);
    expect(h.directory.get(selector)!.devices[0]).toMatchObject({
      token: 'apns-token-1',
      voipToken: 'voip-NEW',
    });
    await waitFor(() => stored.length === 1, { timeoutMs: 2000 });
  });

  it('leaves push data alone when the REGISTER is refused', async () => {
    const reg = await registration(
      'not-the-password',
      'sip:phone@127.0.0.1:5090;pn-provider=fcm;pn-prid=fcm-token-EVIL',
    );
    await settled(reg.register(60).catch(() => undefined));
    expect(handed).toEqual([]);
    expect(h.directory.get(selector)!.devices[1]?.token).toBe('fcm-token-2');
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
