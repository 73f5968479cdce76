// The agent against a REAL Kamailio registrar over UDP, with a direct sip-stack transport, the
// in-process bus and a state-persister stand-in: binding at Kamailio, 423 raise, refresh with the
// same Call-ID and CSeq + 1, restart from the checkpointed state continuing the same binding,
// a wrong password → Unauthorized, a device in the foreground → our contact removed.
import { createInProcessBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import { encodeMessage, DeviceEvent, InstanceMode, subjects } from '@sipwake/contracts';
import { createTransport } from '@sipwake/sip-stack';
import { freePort, startKamailio, waitFor } from '@sipwake/testkit';
import type { Kamailio } from '@sipwake/testkit';
import { createRegistrarAgent } from './agent.js';
import type { RegistrarAgent } from './agent.js';
import { systemAgentClock } from './clock.js';
import { settingsDefaults } from './config.js';
import type { AgentSettings } from './config.js';
import { startFakePersister } from './checkpoint/test-support/fake-persister.js';
import type { FakePersister } from './checkpoint/test-support/fake-persister.js';
import { loadedInstance, testDevice, testKeyRing } from './registration/test-support/instances.js';

const DOMAIN = 'agent.test';
const silent = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silent;
  },
};

describe('registrar-agent against Kamailio (UDP)', () => {
  let kamailio: Kamailio;
  let bus: Bus;
  let persister: FakePersister;
  let port: number;
  const keyRing = testKeyRing();
  const agents: RegistrarAgent[] = [];

  beforeAll(async () => {
    kamailio = await startKamailio({
      domain: DOMAIN,
      transports: ['udp'],
      users: [
        { username: 'alice', password: 'alice-pw', domain: DOMAIN },
        { username: 'bob', password: 'right', domain: DOMAIN },
        { username: 'carol', password: 'carol-pw', domain: DOMAIN },
      ],
      registrar: { minExpiresS: 4, rejectBriefExpires: true },
    });
    bus = createInProcessBus();
    persister = startFakePersister(bus);
    port = await freePort({ protocol: 'udp', host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const agent of agents) await agent.stop();
    persister?.stop();
    await bus?.close();
    await kamailio?.stop();
  });

  const settings = (): AgentSettings => ({
    ...settingsDefaults,
    shard: 'kam-test',
    publicHost: '127.0.0.1',
    publicPort: port,
    refreshMarginMs: 3000,
    checkpointIntervalMs: 50,
    backoffMinMs: 200,
  });
  const startAgent = async (): Promise<RegistrarAgent> => {
    const agent = createRegistrarAgent({
      bus,
      transport: createTransport({
        listen: [{ protocol: 'udp', address: '127.0.0.1', port }],
        idleTimeoutMs: 60_000,
        keepAliveIntervalMs: 0,
        maxMessageBytes: 65_535,
      }),
      keyRing,
      clock: systemAgentClock(),
      log: silent,
      config: settings(),
    });
    agents.push(agent);
    await agent.start();
    return agent;
  };
  const registrar = (): string => `sip:127.0.0.1:${kamailio.port}`;
  const add = (username: string, password: string, over = {}) => {
    const instance = loadedInstance(
      keyRing,
      { username, domain: DOMAIN, password, registrar: registrar(), expiresSeconds: 2 },
      over,
    );
    persister.instances.set(instance.selector, instance);
    return instance;
  };

  it('holds one binding, refreshes it, and continues it after a restart', async () => {
    const alice = add('alice', 'alice-pw');
    const aor = `sip:alice@${DOMAIN}`;
    let agent = await startAgent();
    // 2 s asked, 423 Min-Expires 4, then registered with 4 s.
    const [first] = await waitFor(
      async () => {
        const b = await kamailio.bindings(aor);
        return b.length > 0 ? b : undefined;
      },
      { timeoutMs: 5000, what: 'the binding at Kamailio' },
    );
    expect(first!.contact).toBe(`sip:${alice.selector}@127.0.0.1:${port}`);
    expect(agent.directory.get(alice.selector)?.state).toBe('registered');
    expect(agent.stats().registrationsFailed['423']).toBeGreaterThanOrEqual(1);

    // Refresh after max(4 s − 3 s, 2 s) = 2 s: same Call-ID, CSeq + 1 (the nonce is held).
    const refreshed = await waitFor(
      async () => {
        const b = await kamailio.bindings(aor);
        return b.length === 1 && b[0]!.cseq > first!.cseq ? b : undefined;
      },
      { timeoutMs: 8000, what: 'a refresh' },
    );
    expect(refreshed[0]).toMatchObject({ callId: first!.callId, cseq: first!.cseq + 1 });

    await agent.stop();
    const stored = persister.instances.get(alice.selector)!.registration!;
    expect(stored).toMatchObject({ callId: first!.callId, status: 'registered' });
    expect(stored.cseq ?? 0).toBeGreaterThanOrEqual(first!.cseq + 1);

    agent = await startAgent();
    const continued = await waitFor(
      async () => {
        const b = await kamailio.bindings(aor);
        return b.length === 1 && b[0]!.cseq > (stored.cseq ?? 0) ? b : undefined;
      },
      { timeoutMs: 5000, what: 'the binding continued after restart' },
    );
    expect(continued).toHaveLength(1);
    expect(continued[0]!.callId).toBe(first!.callId);
    await agent.stop();
  });

  it('marks a wrong password Unauthorized, and removes the binding when a device comes to the foreground', async () => {
    const bob = add('bob', 'wrong');
    const carol = add('carol', 'carol-pw', {
      mode: InstanceMode.Takeover,
      devices: [testDevice('phone', { presence: 'background', lastSeenAt: Date.now() - 120_000 })],
    });
    const agent = await startAgent();
    await waitFor(() => agent.directory.get(bob.selector)?.state === 'unauthorized', {
      timeoutMs: 5000,
      what: 'bob unauthorized',
    });
    expect(await kamailio.bindings(`sip:bob@${DOMAIN}`)).toEqual([]);

    await waitFor(async () => (await kamailio.bindings(`sip:carol@${DOMAIN}`)).length === 1, {
      timeoutMs: 5000,
      what: 'carol registered',
    });
    const event: DeviceEvent = {
      type: 'presence',
      selector: carol.selector,
      deviceId: 'phone',
      presence: 'foreground',
      at: Date.now(),
    };
    bus.publish(subjects.shardDevice(carol.selector), encodeMessage(DeviceEvent, event));
    await waitFor(async () => (await kamailio.bindings(`sip:carol@${DOMAIN}`)).length === 0, {
      timeoutMs: 5000,
      what: 'carol unregistered',
    });
    await waitFor(() => agent.directory.get(carol.selector)?.state === 'idle', {
      timeoutMs: 2000,
      what: 'carol idle',
    });
    await agent.stop();
  });
});
