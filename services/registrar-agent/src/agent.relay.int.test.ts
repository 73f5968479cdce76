// The agent on the relay transport of @sipwake/sip-relay, over a REAL nats-server, through a
// router stand-in (a real UDP socket, selectors found by sip-relay's findSelector) to a REAL
// Kamailio; state-persister and push-notifier stood in on the bus. The REGISTER's digest
// challenge and answers come back through the router by the selector in the Via branch; an
// OPTIONS from a peer reaches the shard and is answered; an instance nobody hears from is
// warned, deleted through the store, unregistered at Kamailio and told it expired.
import { connectBus } from '@sipwake/bus';
import type { Bus, Subscription } from '@sipwake/bus';
import {
  decodeMessage,
  encodeMessage,
  PushRequest,
  PushResults,
  subjects,
} from '@sipwake/contracts';
import { createRelayTransport } from '@sipwake/sip-relay';
import {
  createUdpPeer,
  freePort,
  sipRequest,
  sipStatus,
  startKamailio,
  startNatsServer,
  waitFor,
} from '@sipwake/testkit';
import type { Kamailio, NatsServer, UdpPeer } from '@sipwake/testkit';
import { createRegistrarAgent } from './agent.js';
import type { RegistrarAgent } from './agent.js';
import { startFakePersister } from './checkpoint/test-support/fake-persister.js';
import type { FakePersister } from './checkpoint/test-support/fake-persister.js';
import { systemAgentClock } from './clock.js';
import { settingsDefaults } from './config.js';
import type { AgentSettings } from './config.js';
import { loadedInstance, testDevice, testKeyRing } from './registration/test-support/instances.js';
import { startUdpRouter } from './registration/test-support/udp-router.js';
import type { UdpRouter } from './registration/test-support/udp-router.js';

const DOMAIN = 'relay.test';
const silent = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silent;
  },
};

describe('registrar-agent on the relay transport (nats-server, router stand-in, Kamailio)', () => {
  let nats: NatsServer;
  let kamailio: Kamailio;
  let agentBus: Bus;
  let peersBus: Bus;
  let persister: FakePersister;
  let router: UdpRouter;
  let pushSub: Subscription;
  const pushes: PushRequest[] = [];
  const keyRing = testKeyRing();
  const agents: RegistrarAgent[] = [];

  beforeAll(async () => {
    nats = await startNatsServer({ jetstream: false });
    kamailio = await startKamailio({
      domain: DOMAIN,
      transports: ['udp'],
      users: [
        { username: 'alice', password: 'alice-pw', domain: DOMAIN },
        { username: 'erin', password: 'erin-pw', domain: DOMAIN },
      ],
    });
    agentBus = await connectBus({ kind: 'nats', servers: nats.url, name: 'agent' });
    peersBus = await connectBus({ kind: 'nats', servers: nats.url, name: 'peers' });
    persister = startFakePersister(peersBus);
    pushSub = peersBus.subscribe(subjects.push, (m) => {
      const request = decodeMessage(PushRequest, m.data);
      pushes.push(request);
      const results = request.devices.map((d) => ({ deviceId: d.deviceId, outcome: 'sent' }));
      m.respond(encodeMessage(PushResults, { results } as PushResults));
    });
    router = await startUdpRouter(
      peersBus,
      'r1',
      await freePort({ protocol: 'udp', host: '127.0.0.1' }),
    );
  });
  afterAll(async () => {
    for (const agent of agents) await agent.stop();
    await router?.stop();
    pushSub?.unsubscribe();
    persister?.stop();
    await agentBus?.close();
    await peersBus?.close();
    await kamailio?.stop();
    await nats?.stop();
  });

  const startAgent = async (over: Partial<AgentSettings> = {}): Promise<RegistrarAgent> => {
    const config: AgentSettings = {
      ...settingsDefaults,
      shard: 'relay-test',
      publicHost: '127.0.0.1',
      publicPort: router.port,
      checkpointIntervalMs: 50,
      ...over,
    };
    const agent = createRegistrarAgent({
      bus: agentBus,
      transport: createRelayTransport({
        bus: agentBus,
        prefixes: config.prefixes,
        advertised: [{ protocol: 'udp', address: '127.0.0.1', port: router.port }],
        shard: config.shard,
      }),
      keyRing,
      clock: systemAgentClock(),
      log: silent,
      config,
    });
    agents.push(agent);
    await agent.start();
    return agent;
  };
  const add = (username: string, password: string, over = {}) => {
    const instance = loadedInstance(
      keyRing,
      {
        username,
        domain: DOMAIN,
        password,
        registrar: `sip:127.0.0.1:${kamailio.port}`,
        expiresSeconds: 600,
      },
      over,
    );
    persister.instances.set(instance.selector, instance);
    return instance;
  };
  const bindingsOf = (username: string) => kamailio.bindings(`sip:${username}@${DOMAIN}`);

  it('registers through the router with digest, checkpoints it, and answers a peer through it', async () => {
    const alice = add('alice', 'alice-pw');
    const agent = await startAgent();
    const [binding] = await waitFor(
      async () => {
        const b = await bindingsOf('alice');
        return b.length > 0 ? b : undefined;
      },
      { timeoutMs: 8000, what: 'the binding at Kamailio' },
    );
    // The contact names the router's address, not the agent's: upstream only sees routers.
    expect(binding!.contact).toBe(`sip:${alice.selector}@127.0.0.1:${router.port}`);
    await waitFor(() => agent.directory.get(alice.selector)?.state === 'registered', {
      timeoutMs: 5000,
      what: 'alice registered in the directory',
    });
    // The 401 and the 200 both came back through the router by the Via branch.
    expect(router.counts.forwarded).toBeGreaterThanOrEqual(2);
    expect(router.counts.unrouted).toBe(0);
    await waitFor(
      () => persister.instances.get(alice.selector)?.registration?.status === 'registered',
      {
        timeoutMs: 5000,
        what: 'the registered state checkpointed',
      },
    );

    const peer: UdpPeer = await createUdpPeer();
    try {
      await peer.send(
        sipRequest({
          method: 'OPTIONS',
          uri: `sip:${alice.selector}@127.0.0.1:${router.port}`,
          local: { address: peer.address, port: peer.port },
          from: `sip:probe@${DOMAIN}`,
          to: `sip:${alice.selector}@${DOMAIN}`,
        }),
        router.port,
      );
      const answer = await peer.next({
        timeoutMs: 5000,
        match: (d) => sipStatus(d.text) !== undefined,
        what: 'the answer to OPTIONS',
      });
      expect(sipStatus(answer.text)).toBe(200);
      expect(answer.from.port).toBe(router.port);
    } finally {
      await peer.close();
    }
    await agent.stop();
    persister.instances.delete(alice.selector); // the next agent starts with erin only
  });

  it('expires an instance nobody hears from: warning, delete, Expires: 0 at Kamailio, expired push', async () => {
    const erin = add('erin', 'erin-pw', {
      devices: [testDevice('phone', { lastSeenAt: Date.now() })],
    });
    const agent = await startAgent({ maxAgeMs: 4000, warningsBeforeMs: [2500] });
    await waitFor(async () => (await bindingsOf('erin')).length === 1, {
      timeoutMs: 8000,
      what: 'erin registered at Kamailio',
    });
    await waitFor(() => pushes.some((p) => p.selector === erin.selector && p.type === 'warning'), {
      timeoutMs: 8000,
      what: 'the warning push',
    });
    expect(persister.expires.filter((e) => e.request.selector === erin.selector)).toEqual([]);

    await waitFor(() => persister.expires.some((e) => e.request.selector === erin.selector), {
      timeoutMs: 8000,
      what: 'the expire request',
    });
    expect(persister.expires.find((e) => e.request.selector === erin.selector)).toMatchObject({
      request: { shard: 'relay-test', version: 1 },
      outcome: 'deleted',
    });
    expect(persister.instances.has(erin.selector)).toBe(false);
    await waitFor(async () => (await bindingsOf('erin')).length === 0, {
      timeoutMs: 8000,
      what: 'erin unregistered at Kamailio',
    });
    await waitFor(() => pushes.some((p) => p.selector === erin.selector && p.type === 'expired'), {
      timeoutMs: 5000,
      what: 'the expired push',
    });
    const erinPushes = pushes.filter((p) => p.selector === erin.selector);
    expect(erinPushes.map((p) => p.type)).toEqual(['warning', 'expired']);
    expect(erinPushes[1]!.devices.map((d) => d.deviceId)).toEqual(['phone']);
    expect(agent.directory.get(erin.selector)).toBeUndefined();
    expect(agent.stats().expiry).toMatchObject({ warningsSent: 1, expired: 1 });
    await agent.stop();
  });
});
