// The router on real loopback sockets, against one bus: run on the in-process bus and on a
// private nats-server by the two test files. "Shards" and "agents" here are plain bus clients.
import net from 'node:net';
import type { Bus, BusMessage } from '@sipwake/bus';
import {
  decodeMessage,
  decodeReply,
  encodeMessage,
  RouterSend,
  RouterSendResult,
  SipForward,
  SipForwardAck,
  subjects,
} from '@sipwake/contracts';
import { relayBranch } from '@sipwake/sip-relay';
import { createUdpPeer, sipHeader, sipStatus, waitFor, withTimeout } from '@sipwake/testkit';
import type { UdpPeer } from '@sipwake/testkit';
import type { Router } from '../types.js';
import type { DropReason, RouterMetrics } from '../metrics.js';
import { createTestRouter } from './test-router.js';

export const selectorA = '4a8bef098cd19b085f0eb48256f504f34142c01a';
const nobodysSelector = 'e28bef098cd19b085f0eb48256f504f34142c01a';

export function request(
  method: string,
  uri: string,
  options: { branch?: string; toTag?: string; transport?: string; via?: string } = {},
): string {
  const branch = options.branch ?? `z9hG4bK${Math.random().toString(36).slice(2)}`;
  return [
    `${method} ${uri} SIP/2.0`,
    `Via: SIP/2.0/${options.transport ?? 'UDP'} ${options.via ?? '127.0.0.1:9'};branch=${branch};rport`,
    'From: <sip:peer@example.com>;tag=p1',
    `To: <${uri}>${options.toTag === undefined ? '' : `;tag=${options.toTag}`}`,
    `Call-ID: ${branch}@example.com`,
    `CSeq: 1 ${method}`,
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

export interface CountingMetrics extends RouterMetrics {
  readonly dropReasons: DropReason[];
  readonly answers: number[];
}

export function countingMetrics(): CountingMetrics {
  const dropReasons: DropReason[] = [];
  const answers: number[] = [];
  return {
    dropReasons,
    answers,
    received() {},
    out() {},
    answered: (status) => void answers.push(status),
    dropped: (reason) => void dropReasons.push(reason),
    forwardAck() {},
  };
}

/** A shard: takes every SipForward of a selector, acks the requests. */
function fakeShard(bus: Bus, selector: string) {
  const received: { forward: SipForward; headers: BusMessage['headers']; asked: boolean }[] = [];
  const sub = bus.subscribe(subjects.shardSip(selector), (msg) => {
    const forward = decodeMessage(SipForward, msg.data);
    received.push({ forward, headers: msg.headers, asked: msg.reply !== undefined });
    msg.respond(encodeMessage(SipForwardAck, { accepted: true, shard: 'fake' }));
  });
  return { received, stop: () => sub.unsubscribe() };
}

async function routerSend(bus: Bus, subject: string, send: RouterSend): Promise<RouterSendResult> {
  const reply = await bus.request(subject, encodeMessage(RouterSend, send), { timeoutMs: 5000 });
  const decoded = decodeReply(RouterSendResult, reply.data);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value;
}

function tcpClient(port: number) {
  const socket = net.connect({ host: '127.0.0.1', port });
  let text = '';
  socket.on('data', (chunk) => (text += chunk.toString('latin1')));
  return {
    socket,
    connected: new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    }),
    received: () => text,
  };
}

export function runRouterSuite(name: string, makeBus: () => Promise<Bus>): void {
  describe(`router on ${name}`, () => {
    let bus: Bus;
    let router: Router;
    let peer: UdpPeer;
    let metrics: CountingMetrics;
    let udpPort: number;
    let tcpPort: number;

    beforeEach(async () => {
      bus = await makeBus();
      metrics = countingMetrics();
      router = createTestRouter({
        bus,
        metrics,
        config: {
          routerId: 'r-test',
          listen: [
            { protocol: 'udp', address: '127.0.0.1', port: 0 },
            { protocol: 'tcp', address: '127.0.0.1', port: 0 },
          ],
          idleTimeoutMs: 60_000,
          maxConnections: 100,
          retryAfterS: 7,
        },
      });
      await router.start();
      udpPort = router.listening().find((l) => l.protocol === 'udp')!.port;
      tcpPort = router.listening().find((l) => l.protocol === 'tcp')!.port;
      peer = await createUdpPeer();
    });

    afterEach(async () => {
      await peer.close();
      await router.stop();
      await bus.close();
    });

    it('forwards a request for a selector user to its shard with the exact bytes and facts', async () => {
      const shard = fakeShard(bus, selectorA);
      const sent = request('INVITE', `sip:${selectorA}@127.0.0.1:${udpPort}`, {
        via: `127.0.0.1:${peer.port}`,
      });
      await peer.send(sent, udpPort);
      await waitFor(() => shard.received.length === 1, { timeoutMs: 5000, what: 'a forward' });
      const { forward, asked } = shard.received[0]!;
      expect(Buffer.from(forward.message, 'base64').toString('latin1')).toBe(sent);
      expect(forward).toMatchObject({
        selector: selectorA,
        routerId: 'r-test',
        transport: {
          protocol: 'udp',
          source: { address: '127.0.0.1', port: peer.port },
          local: { address: '127.0.0.1', port: udpPort },
          connectionId: null,
        },
      });
      expect(asked).toBe(true);
      shard.stop();
    });

    it('publishes a response with a relay branch to the shard of its selector', async () => {
      const shard = fakeShard(bus, selectorA);
      const branch = relayBranch(selectorA);
      const response = request('OPTIONS', 'sip:registrar.example.com', { branch })
        .replace(/^OPTIONS \S+ SIP\/2\.0/, 'SIP/2.0 200 OK')
        .replace('To: <sip:registrar.example.com>', 'To: <sip:registrar.example.com>;tag=up1');
      await peer.send(response, udpPort);
      await waitFor(() => shard.received.length === 1, { timeoutMs: 5000, what: 'a response' });
      expect(shard.received[0]!.asked).toBe(false);
      expect(Buffer.from(shard.received[0]!.forward.message, 'base64').toString()).toBe(response);
      shard.stop();
    });

    it('sends what an agent asks from its own UDP socket', async () => {
      const result = await routerSend(bus, subjects.routerSip('r-test'), {
        message: Buffer.from('OPTIONS sip:x SIP/2.0\r\n\r\n').toString('base64'),
        target: { protocol: 'udp', address: '127.0.0.1', port: peer.port },
      });
      expect(result).toEqual({ status: 'sent', connectionId: null, routerId: 'r-test' });
      const datagram = await peer.next({ timeoutMs: 5000, what: 'the sent bytes' });
      expect(datagram.from.port).toBe(udpPort);
      expect(datagram.text).toBe('OPTIONS sip:x SIP/2.0\r\n\r\n');
    });

    it('answers a TCP request on the connection it came in on', async () => {
      const shard = fakeShard(bus, selectorA);
      const client = tcpClient(tcpPort);
      await client.connected;
      const local = client.socket.address() as net.AddressInfo;
      client.socket.write(
        request('OPTIONS', `sip:${selectorA}@127.0.0.1:${tcpPort};transport=tcp`, {
          transport: 'TCP',
          via: `127.0.0.1:${local.port}`,
        }),
      );
      await waitFor(() => shard.received.length === 1, { timeoutMs: 5000, what: 'a forward' });
      const { transport } = shard.received[0]!.forward;
      expect(transport.protocol).toBe('tcp');
      expect(transport.connectionId).toEqual(expect.any(String));
      const reply = 'SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n';
      const result = await routerSend(bus, subjects.routerAny, {
        message: Buffer.from(reply).toString('base64'),
        target: { protocol: 'tcp', address: '127.0.0.1', port: local.port },
        connectionId: transport.connectionId!,
      });
      expect(result).toMatchObject({ status: 'sent', connectionId: transport.connectionId });
      await waitFor(() => client.received() === reply, { timeoutMs: 5000, what: 'the reply' });
      client.socket.destroy();
      shard.stop();
    });

    it("reports the transport's error code for a connection that is gone", async () => {
      const closed = await new Promise<number>((resolve) => {
        const server = net.createServer();
        server.listen(0, '127.0.0.1', () => {
          const { port } = server.address() as net.AddressInfo;
          server.close(() => resolve(port));
        });
      });
      const result = await routerSend(bus, subjects.routerSip('r-test'), {
        message: Buffer.from('x').toString('base64'),
        target: { protocol: 'tcp', address: '127.0.0.1', port: closed },
        connectionId: 'tcp-00000000-99',
      });
      expect(result).toMatchObject({ status: 'failed', error: { code: 'CONNECT_FAILED' } });
    });

    it('answers 503 with Retry-After when no shard has the selector', async () => {
      await peer.send(request('INVITE', `sip:${nobodysSelector}@127.0.0.1`), udpPort);
      const answer = await peer.next({ timeoutMs: 5000, what: 'a 503' });
      expect(sipStatus(answer.text)).toBe(503);
      expect(sipHeader(answer.text, 'retry-after')).toBe('7');
      expect(sipHeader(answer.text, 'to')).toMatch(/;tag=/);
    });

    it('answers 404 to a user that is not a selector', async () => {
      await peer.send(request('INVITE', 'sip:alice@127.0.0.1'), udpPort);
      const answer = await peer.next({ timeoutMs: 5000, what: 'a 404' });
      expect(sipStatus(answer.text)).toBe(404);
    });

    it('answers 400 to a malformed request', async () => {
      const broken = request('INVITE', 'sip:alice@127.0.0.1').replace(
        'Max-Forwards: 70',
        'Max-Forwards: 70\r\nContact: <sip:bob@[::1>',
      );
      await peer.send(broken, udpPort);
      const answer = await peer.next({ timeoutMs: 5000, what: 'a 400' });
      expect(sipStatus(answer.text)).toBe(400);
    });

    it('drops garbage without an answer, counts it, and lives on', async () => {
      await peer.send('INVITE sip:x SIP/2.0\r\nthis is not a header\r\n\r\n', udpPort);
      await waitFor(() => metrics.dropReasons.includes('unparseable'), {
        timeoutMs: 5000,
        what: 'garbage counted',
      });
      await peer.send(request('OPTIONS', `sip:127.0.0.1:${udpPort}`), udpPort);
      const answer = await peer.next({ timeoutMs: 5000, what: 'a 200 to a ping' });
      expect(sipStatus(answer.text)).toBe(200);
      expect(peer.pending()).toHaveLength(0);
    });

    it('drops a response without a selector', async () => {
      await peer.send(
        request('OPTIONS', 'sip:x.example').replace(/^OPTIONS \S+ SIP\/2\.0/, 'SIP/2.0 200 OK'),
        udpPort,
      );
      await waitFor(() => metrics.dropReasons.includes('response-without-selector'), {
        timeoutMs: 5000,
        what: 'dropped response counted',
      });
    });

    it('refuses an invalid RouterSend with INVALID_SEND', async () => {
      const reply = await bus.request(subjects.routerSip('r-test'), Buffer.from('{}'), {
        timeoutMs: 5000,
      });
      const decoded = decodeReply(RouterSendResult, reply.data);
      expect(decoded.ok).toBe(false);
      expect(!decoded.ok && decoded.error.code).toBe('INVALID_SEND');
    });

    it('answers 503 to new requests while it stops, then closes its listeners', async () => {
      const stopping = createTestRouter({
        bus,
        config: { routerId: 'r-stopping', stopGraceMs: 500 },
      });
      await stopping.start();
      const port = stopping.listening()[0]!.port;
      const stopped = stopping.stop();
      await peer.send(request('INVITE', `sip:${selectorA}@127.0.0.1`), port);
      const answer = await peer.next({ timeoutMs: 5000, what: 'a 503 while stopping' });
      expect(sipStatus(answer.text)).toBe(503);
      await expect(withTimeout(stopped, 5000, 'stop')).resolves.toBe('stopped');
      expect(stopping.listening()).toEqual([]);
      await expect(stopping.stop()).resolves.toBe('stopped');
    });
  });
}
