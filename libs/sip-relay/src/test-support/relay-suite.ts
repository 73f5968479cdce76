// The relay transport's behaviour on one bus, run on the in-process bus and on a real
// nats-server by the two test files.
import type { Bus } from '@sipwake/bus';
import { decodeReply, SipForwardAck, subjects } from '@sipwake/contracts';
import { createRequest, createResponse, parseMessage, serializeMessage } from '@sipwake/sip-parser';
import type { SipRequest, SipResponse } from '@sipwake/sip-parser';
import { createTransactionLayer, systemClock, TransportError } from '@sipwake/sip-stack';
import type { Inbound, InboundInvalid } from '@sipwake/sip-stack';
import { withTimeout } from '@sipwake/testkit';
import { findSelector, relayBranch } from '../markers.js';
import { createRelayTransport } from '../relay-transport.js';
import type { RelayTransport } from '../relay-transport.js';
import {
  optionsTo,
  selectorA,
  selectorOutside,
  sipForward,
  startFakeRouter,
} from './fake-router.js';
import type { FakeRouter } from './fake-router.js';

const advertised = [
  { protocol: 'udp', address: '127.0.0.1', port: 5060 },
  { protocol: 'tcp', address: '127.0.0.1', port: 5060 },
] as const;

function nextOf<T>(register: (handler: (value: T) => void) => void): () => Promise<T> {
  const queue: T[] = [];
  const waiting: ((value: T) => void)[] = [];
  register((value) => {
    const waiter = waiting.shift();
    if (waiter) waiter(value);
    else queue.push(value);
  });
  return () => {
    const ready = queue.shift();
    return ready !== undefined
      ? Promise.resolve(ready)
      : new Promise((resolve) => waiting.push(resolve));
  };
}

/** An OPTIONS the agent sends upstream, with its own Via (relay branch, a router's sent-by). */
function createRequestForTest(selector: string, branch: string): SipRequest {
  return createRequest({
    method: 'OPTIONS',
    uri: 'sip:registrar.example.com',
    headers: [
      ['Via', `SIP/2.0/UDP 127.0.0.1:5060;branch=${branch};rport`],
      ['From', `<sip:${selector}@example.com>;tag=ag1`],
      ['To', '<sip:registrar.example.com>'],
      ['Call-ID', `${branch}@agent`],
      ['CSeq', '1 OPTIONS'],
      ['Max-Forwards', '70'],
    ],
  });
}

export function runRelaySuite(name: string, makeBus: () => Promise<Bus>): void {
  describe(`relay transport on ${name}`, () => {
    let bus: Bus;
    let transport: RelayTransport;
    let router: FakeRouter;
    let nextMessage: () => Promise<Inbound>;
    let nextInvalid: () => Promise<InboundInvalid>;
    const warnings: string[] = [];

    beforeEach(async () => {
      bus = await makeBus();
      warnings.length = 0;
      transport = createRelayTransport({
        bus,
        prefixes: ['4/2'],
        advertised,
        shard: 'shard-a',
        sendTimeoutMs: 1000,
        log: { debug() {}, warn: (_f, message) => void warnings.push(message) },
      });
      nextMessage = nextOf((h) => transport.onMessage(h));
      nextInvalid = nextOf((h) => transport.onInvalid(h));
      router = startFakeRouter(bus, 'r1');
      await transport.start();
    });

    afterEach(async () => {
      router.stop();
      await transport.stop();
      await bus.close();
    });

    it('hands up a forwarded request with its bytes, the received stamp and the router flow', async () => {
      const text = optionsTo(selectorA);
      bus.publish(
        subjects.shardSip(selectorA),
        sipForward(selectorA, text, { protocol: 'tcp', connectionId: 'tcp-1', routerId: 'r7' }),
      );
      const inbound = await withTimeout(nextMessage(), 5000, 'forwarded message');
      expect(inbound.bytes.toString()).toBe(text);
      expect(inbound.message.topVia()).toMatchObject({ received: '192.0.2.7', rport: 5070 });
      expect(inbound.flow).toEqual({
        protocol: 'tcp',
        local: { address: '127.0.0.1', port: 5060 },
        remote: { address: '192.0.2.7', port: 5070 },
        connectionId: 'r7/tcp-1',
      });
    });

    it('hears only the selectors of its prefixes', async () => {
      bus.publish(
        subjects.shardSip(selectorOutside),
        sipForward(selectorOutside, optionsTo(selectorOutside)),
      );
      bus.publish(subjects.shardSip(selectorA), sipForward(selectorA, optionsTo(selectorA)));
      const inbound = await withTimeout(nextMessage(), 5000, 'forwarded message');
      expect(inbound.message.type === 'request' && inbound.message.uri).toContain(selectorA);
      expect(transport.subjects()).toEqual([
        'sw.shard.4.*.sip',
        'sw.shard.5.*.sip',
        'sw.shard.6.*.sip',
        'sw.shard.7.*.sip',
      ]);
    });

    it('answers a forward sent as a request with an ack naming the shard', async () => {
      const reply = await bus.request(
        subjects.shardSip(selectorA),
        sipForward(selectorA, optionsTo(selectorA)),
        { timeoutMs: 2000 },
      );
      expect(decodeReply(SipForwardAck, reply.data)).toEqual({
        ok: true,
        value: { accepted: true, shard: 'shard-a' },
      });
      await withTimeout(nextMessage(), 5000, 'the acked message');
    });

    it('drops a malformed forward with a logged reason and an error reply, and goes on', async () => {
      const reply = await bus.request(subjects.shardSip(selectorA), Buffer.from('{"selector":1}'), {
        timeoutMs: 2000,
      });
      const decoded = decodeReply(SipForwardAck, reply.data);
      expect(decoded.ok).toBe(false);
      expect(!decoded.ok && decoded.error.code).toBe('INVALID_MESSAGE');
      expect(warnings).toContain('SipForward dropped');
      bus.publish(subjects.shardSip(selectorA), sipForward(selectorA, optionsTo(selectorA)));
      await withTimeout(nextMessage(), 5000, 'a good forward after a bad one');
    });

    it('hands up SIP that does not parse as invalid, with its flow', async () => {
      const broken = optionsTo(selectorA).replace('CSeq: 7 OPTIONS', 'CSeq: x OPTIONS');
      bus.publish(subjects.shardSip(selectorA), sipForward(selectorA, broken));
      const invalid = await withTimeout(nextInvalid(), 5000, 'invalid message');
      expect(invalid.bytes.toString()).toBe(broken);
      expect(invalid.flow.remote).toEqual({ address: '192.0.2.7', port: 5070 });
    });

    it('sends through any router and reports the flow it answered', async () => {
      const flow = await transport.send(
        { protocol: 'tcp', address: '198.51.100.9', port: 5060 },
        Buffer.from(optionsTo(selectorA)),
      );
      const { subject, send } = await router.next();
      expect(subject).toBe(subjects.routerAny);
      expect(send.connectionId).toBeUndefined();
      expect(send.target).toEqual({ protocol: 'tcp', address: '198.51.100.9', port: 5060 });
      expect(flow).toEqual({
        protocol: 'tcp',
        local: { address: '127.0.0.1', port: 5060 },
        remote: { address: '198.51.100.9', port: 5060 },
        connectionId: 'r1/tcp-new',
      });
    });

    it('sends on a connection through the router that holds it', async () => {
      const flow = await transport.send(
        { protocol: 'tcp', address: '192.0.2.7', port: 5070, connectionId: 'r1/tcp-9' },
        Buffer.from('x'),
      );
      const { subject, send } = await router.next();
      expect(subject).toBe(subjects.routerSip('r1'));
      expect(send.connectionId).toBe('tcp-9');
      expect(flow.connectionId).toBe('r1/tcp-9');
    });

    it('sends through any router, without the connection, when its router is gone', async () => {
      await transport.send(
        { protocol: 'tcp', address: '192.0.2.7', port: 5070, connectionId: 'gone/tcp-3' },
        Buffer.from('x'),
      );
      const { subject, send } = await router.next();
      expect(subject).toBe(subjects.routerAny);
      expect(send.connectionId).toBeUndefined();
    });

    it('rejects with the transport error code a router reports', async () => {
      router.stop();
      router = startFakeRouter(bus, 'r1', () => ({
        status: 'failed',
        connectionId: null,
        routerId: 'r1',
        error: { code: 'CONNECT_FAILED', message: 'refused' },
      }));
      const sent = transport.send(
        { protocol: 'tcp', address: '192.0.2.7', port: 9 },
        Buffer.from('x'),
      );
      await expect(sent).rejects.toBeInstanceOf(TransportError);
      await expect(sent).rejects.toMatchObject({ code: 'CONNECT_FAILED', retryable: true });
    });

    it('rejects with SEND_FAILED when no router listens', async () => {
      router.stop();
      const sent = transport.send(
        { protocol: 'udp', address: '192.0.2.7', port: 9 },
        Buffer.from('x'),
      );
      await expect(sent).rejects.toMatchObject({ name: 'TransportError', code: 'SEND_FAILED' });
    });

    it('reports the advertised endpoints, and refuses to send once stopped', async () => {
      expect(transport.listening()).toEqual(advertised);
      await transport.stop();
      await transport.stop();
      expect(transport.listening()).toEqual([]);
      await expect(
        transport.send({ protocol: 'udp', address: '192.0.2.7', port: 9 }, Buffer.from('x')),
      ).rejects.toMatchObject({ code: 'NOT_LISTENING' });
    });

    it('carries a transaction layer: a server transaction answers through a router', async () => {
      const layer = createTransactionLayer({ transport, clock: systemClock() });
      layer.onRequest((tx) => tx.respond(createResponse(tx.request, 200, 'OK', { toTag: 'a1' })));
      try {
        bus.publish(subjects.shardSip(selectorA), sipForward(selectorA, optionsTo(selectorA)));
        const { send, text } = await router.next();
        // RFC 3581: back to the source address and port the router saw.
        expect(send.target).toEqual({ protocol: 'udp', address: '192.0.2.7', port: 5070 });
        expect(text).toMatch(/^SIP\/2\.0 200 OK\r\n/);
        expect(text).toContain('rport=5070;received=192.0.2.7');
      } finally {
        layer.stop();
      }
    });

    it('carries a transaction layer: a client transaction gets its answer from a router', async () => {
      const layer = createTransactionLayer({ transport, clock: systemClock(), t1Ms: 2000 });
      try {
        const request = createRequestForTest(selectorA, relayBranch(selectorA));
        const final = new Promise<SipResponse>((resolve) => {
          layer.sendRequest(
            request,
            { protocol: 'udp', address: '198.51.100.1', port: 5060 },
            {
              final: (response) => resolve(response),
            },
          );
        });
        const { text } = await router.next();
        const sent = parseMessage(Buffer.from(text)) as SipRequest;
        const answer = serializeMessage(createResponse(sent, 200, 'OK', { toTag: 'r1' }));
        const match = findSelector(parseMessage(answer));
        expect(match).toEqual({ selector: selectorA, source: 'via-branch' });
        bus.publish(subjects.shardSip(selectorA), sipForward(selectorA, answer));
        const response = await withTimeout(final, 5000, 'final response');
        expect(response.status).toBe(200);
      } finally {
        layer.stop();
      }
    });
  });
}
