// Two transaction layers talking through the in-memory network (real serializer and parser on
// every hop): the machines of both sides driven by one manual clock.
import { createResponse, parseMessage } from '@sipwake/sip-parser';
import type { SipMessage } from '@sipwake/sip-parser';
import { createManualClock } from '../clock.js';
import { createMemoryNetwork } from '../transport/memory.js';
import type { MemoryPacket } from '../transport/memory.js';
import type { TransportProtocol } from '../transport/types.js';
import { settleNetwork } from '../test-support/settle.js';
import { probe } from '../test-support/transport-probe.js';
import { createTransactionLayer } from './layer.js';
import { recordClientEvents, request } from './test-support/harness.js';
import type { ServerTransaction } from './types.js';

async function pair(protocol: TransportProtocol) {
  const clock = createManualClock();
  const network = createMemoryNetwork();
  const endpoint = async (port: number) => {
    const transport = network.transport({ protocol, address: '127.0.0.1', port });
    await transport.start();
    return { transport, layer: createTransactionLayer({ transport, clock }) };
  };
  const uac = await endpoint(5060);
  const uas = await endpoint(5080);
  const settle = () => settleNetwork(network);
  const wire = (packet: MemoryPacket): SipMessage => parseMessage(packet.bytes, { datagram: true });
  /** What the endpoint listening on `port` sent (a TCP client side has its own ephemeral port). */
  const sentFrom = (port: number) =>
    network
      .sent()
      .filter((p) => (port === 5080 ? p.flow.local.port === 5080 : p.flow.remote.port === 5080))
      .map(wire)
      .map((m) => (m.type === 'request' ? m.method : `${m.status} ${m.cseq().method}`));
  return {
    clock,
    network,
    uac,
    uas,
    settle,
    sentFrom,
    wire,
    target: { protocol, address: '127.0.0.1', port: 5080 },
  };
}

describe('transaction layers end to end on the in-memory network', () => {
  it('recovers a lost INVITE by Timer A, then CANCEL, 487 and the ACK close both sides (UDP)', async () => {
    const p = await pair('udp');
    let dropped = false;
    p.network.intercept((packet) => {
      const message = p.wire(packet);
      if (!dropped && message.type === 'request' && message.method === 'INVITE') {
        dropped = true;
        return 'drop';
      }
      return undefined;
    });
    const invites: ServerTransaction[] = [];
    p.uas.layer.onRequest((tx) => {
      invites.push(tx);
      tx.respond(createResponse(tx.request, 180, undefined, { toTag: 'uas' }));
    });
    p.uas.layer.onCancel((cancel, invite) => {
      cancel.respond(createResponse(cancel.request, 200, undefined, { toTag: 'uas' }));
      invite.respond(createResponse(invite.request, 487, undefined, { toTag: 'uas' }));
    });
    const log = recordClientEvents();
    const cancelLog = recordClientEvents();
    const tx = p.uac.layer.sendRequest(
      request({ method: 'INVITE', via: null }),
      p.target,
      log.handlers,
    );
    await p.settle();
    expect(invites).toHaveLength(0);
    p.clock.advance(500);
    await p.settle();
    expect(invites).toHaveLength(1);
    expect(tx.state).toBe('Proceeding');
    expect(p.uac.layer.sendCancel(tx, { handlers: cancelLog.handlers })).toBe('sent');
    await p.settle();
    expect(log.events).toEqual(['provisional 180', 'final 487']);
    expect(cancelLog.events).toEqual(['final 200']);
    expect(invites[0]!.state).toBe('Confirmed');
    expect(p.sentFrom(5060)).toEqual(['INVITE', 'INVITE', 'CANCEL', 'ACK']);
    expect(p.sentFrom(5080)).toEqual(['180 INVITE', '200 CANCEL', '487 INVITE']);

    p.clock.advance(32_000); // Timer D, the longest of them
    await p.settle();
    expect(p.uac.layer.size()).toEqual({ client: 0, server: 0 });
    expect(p.uas.layer.size()).toEqual({ client: 0, server: 0 });
    expect(p.clock.pending()).toBe(0);
  });

  it('absorbs duplicated datagrams: the TU sees one request, the client one final response', async () => {
    const p = await pair('udp');
    p.network.intercept(() => 'duplicate');
    const seen: string[] = [];
    p.uas.layer.onRequest((tx) => {
      seen.push(tx.request.method);
      tx.respond(createResponse(tx.request, 200, undefined, { toTag: 'uas' }));
    });
    const log = recordClientEvents();
    p.uac.layer.sendRequest(request({ method: 'MESSAGE', via: null }), p.target, log.handlers);
    await p.settle();
    expect(seen).toEqual(['MESSAGE']);
    expect(log.events).toEqual(['final 200']);
    // The duplicate request was answered from the transaction with the same 200.
    expect(p.sentFrom(5080)).toEqual(['200 MESSAGE', '200 MESSAGE']);
  });

  it('runs a non-INVITE round trip on TCP with no retransmission and zero Timers J and K', async () => {
    const p = await pair('tcp');
    p.uas.layer.onRequest((tx) => {
      tx.respond(createResponse(tx.request, 202, undefined, { toTag: 'uas' }));
    });
    const log = recordClientEvents();
    const tx = p.uac.layer.sendRequest(
      request({ method: 'MESSAGE', via: null }),
      p.target,
      log.handlers,
    );
    await p.settle();
    expect(log.events).toEqual(['final 202', 'terminated completed Terminated']);
    expect(tx.flow?.connectionId).toBeDefined();
    expect(p.uas.layer.size()).toEqual({ client: 0, server: 0 });
    p.clock.advance(64 * 500);
    await p.settle();
    expect(p.sentFrom(5060)).toEqual(['MESSAGE']);
    expect(p.clock.pending()).toBe(0);
  });
});

describe('a request that does not parse, on the in-memory network', () => {
  /** A transaction layer on 5080 and a bare transport on 5060 that sends raw bytes to it. */
  async function rawPeer(protocol: TransportProtocol) {
    const network = createMemoryNetwork();
    const server = network.transport({ protocol, address: '127.0.0.1', port: 5080 });
    const peer = network.transport({ protocol, address: '127.0.0.1', port: 5060 });
    await Promise.all([server.start(), peer.start()]);
    const layer = createTransactionLayer({ transport: server, clock: createManualClock() });
    const requests: ServerTransaction[] = [];
    layer.onRequest((tx) => void requests.push(tx));
    const settle = () => settleNetwork(network);
    return {
      network,
      requests,
      peerProbe: probe(peer),
      send: (text: string) =>
        peer.send({ protocol, address: '127.0.0.1', port: 5080 }, Buffer.from(text)),
      settle,
      /** What the layer's side sent, as text. */
      answers: () =>
        network
          .sent()
          .filter((p) => p.flow.local.port === 5080)
          .map((p) => p.bytes.toString('latin1')),
    };
  }

  const brokenCseq = [
    'INVITE sip:bob@127.0.0.1:5080 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-broken;rport',
    'Max-Forwards: 70',
    'From: <sip:alice@127.0.0.1>;tag=a1',
    'To: <sip:bob@127.0.0.1>',
    'Call-ID: broken-cseq@127.0.0.1',
    'CSeq: abc INVITE',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

  it.each<TransportProtocol>(['udp', 'tcp'])(
    'answers a broken CSeq "400 Bad CSeq" with the Via and Call-ID of the request (%s)',
    async (protocol) => {
      const p = await rawPeer(protocol);
      await p.send(brokenCseq.replace('SIP/2.0/UDP', `SIP/2.0/${protocol.toUpperCase()}`));
      // The 400 repeats the broken CSeq, so the peer's parser hands it up as invalid too.
      const answer = (await p.peerProbe.nextInvalid()).bytes.toString('latin1');
      expect(answer.split('\r\n')[0]).toBe('SIP/2.0 400 Bad CSeq');
      expect(answer).toMatch(
        /\r\nVia: SIP\/2\.0\/(UDP|TCP) 127\.0\.0\.1:5060;branch=z9hG4bK-broken;rport=\d+;received=127\.0\.0\.1\r\n/,
      );
      expect(answer).toContain('\r\nCall-ID: broken-cseq@127.0.0.1\r\n');
      expect(answer).toMatch(/\r\nTo: <sip:bob@127\.0\.0\.1>;tag=[0-9a-f]{16}\r\n/);
      expect(answer.endsWith('\r\nContent-Length: 0\r\n\r\n')).toBe(true);
      expect(p.requests).toHaveLength(0);
      expect(p.answers()).toHaveLength(1);
    },
  );

  it('answers a garbage datagram, a malformed response and an ACK with nothing', async () => {
    const p = await rawPeer('udp');
    await p.send('not SIP at all\r\n\r\n');
    await p.send(['SIP/2.0 200 OK', ...brokenCseq.split('\r\n').slice(1)].join('\r\n'));
    await p.send(brokenCseq.replace(/INVITE/g, 'ACK'));
    await p.settle();
    expect(p.network.sent()).toHaveLength(3);
    expect(p.answers()).toEqual([]);
  });
});
