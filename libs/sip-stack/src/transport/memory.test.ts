import { createManualClock } from '../clock.js';
import { sipRequest, sipResponse } from '../test-support/sip-text.js';
import { probe } from '../test-support/transport-probe.js';
import { createMemoryNetwork } from './memory.js';
import type { MemoryNetwork, MemoryNetworkOptions } from './memory.js';
import type { ListenOptions, Transport } from './types.js';
import { responseTarget } from './via.js';

const endpoints: Transport[] = [];

async function endpoint(network: MemoryNetwork, listen: ListenOptions) {
  const transport = network.transport(listen);
  endpoints.push(transport);
  await transport.start();
  return { transport, port: transport.listening()[0]!.port, probe: probe(transport) };
}

afterEach(async () => {
  await Promise.all(endpoints.splice(0).map((t) => t.stop()));
});

async function pair(options: MemoryNetworkOptions = {}, protocol: 'udp' | 'tcp' = 'udp') {
  const network = createMemoryNetwork(options);
  const a = await endpoint(network, { protocol, address: '10.0.0.1', port: 5060 });
  const b = await endpoint(network, { protocol, address: '10.0.0.2', port: 0 });
  return { network, a, b };
}

describe('in-memory network', () => {
  it('delivers datagrams through the parser, stamping the top Via like a real transport', async () => {
    const { a, b } = await pair();
    const bytes = sipRequest({ via: 'SIP/2.0/UDP a.example.com;rport;branch=z9hG4bK-m1' });
    const flow = await a.transport.send(
      { protocol: 'udp', address: '10.0.0.2', port: b.port },
      bytes,
    );
    expect(flow).toEqual({
      protocol: 'udp',
      local: { address: '10.0.0.1', port: 5060 },
      remote: { address: '10.0.0.2', port: b.port },
    });
    const request = await b.probe.nextMessage();
    expect(request.bytes.equals(bytes)).toBe(true);
    expect(request.message.headers.get('via')).toBe(
      'SIP/2.0/UDP a.example.com;rport=5060;branch=z9hG4bK-m1;received=10.0.0.1',
    );
    await b.transport.send(
      responseTarget(request.message.topVia(), request.flow),
      sipResponse({ via: request.message.headers.get('via')! }),
    );
    expect((await a.probe.nextMessage()).message.type).toBe('response');
  });

  it('drops and duplicates datagrams as the interceptor says', async () => {
    const { network, a, b } = await pair();
    const target = { protocol: 'udp', address: '10.0.0.2', port: b.port } as const;
    const fates = ['drop', 'duplicate', undefined] as const;
    let n = 0;
    network.intercept(() => fates[n++]);
    await a.transport.send(target, sipRequest({ callId: 'lost' }));
    await a.transport.send(target, sipRequest({ callId: 'twice' }));
    await a.transport.send(target, sipRequest({ callId: 'once' }));
    await network.settle();
    expect(b.probe.messages.map((m) => m.message.callId())).toEqual(['twice', 'twice', 'once']);
    expect(network.sent()).toHaveLength(3);
  });

  it('loses every datagram at loss 1 and none at loss 0', async () => {
    const lossy = await pair({ loss: 1 });
    await lossy.a.transport.send(
      { protocol: 'udp', address: '10.0.0.2', port: lossy.b.port },
      sipRequest(),
    );
    await lossy.network.settle();
    expect(lossy.b.probe.messages).toHaveLength(0);
  });

  it('delays deliveries on the clock when given a latency', async () => {
    const clock = createManualClock();
    const { network, a, b } = await pair({ clock, latencyMs: 50 });
    await a.transport.send({ protocol: 'udp', address: '10.0.0.2', port: b.port }, sipRequest());
    await network.settle();
    expect(b.probe.messages).toHaveLength(0);
    clock.advance(50);
    expect(b.probe.messages).toHaveLength(1);
  });

  it('keeps stream connections: the reply goes back on the connection, with its id', async () => {
    const { network, a, b } = await pair({}, 'tcp');
    const sent = await a.transport.send(
      { protocol: 'tcp', address: '10.0.0.2', port: b.port },
      sipRequest({ via: 'SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK-s1' }),
    );
    expect(sent.connectionId).toMatch(/^mem-/);
    expect(sent.local.port).not.toBe(5060); // an ephemeral client port, as on a real socket
    const request = await b.probe.nextMessage();
    expect(request.flow.connectionId).toBe(sent.connectionId);
    const reply = await b.transport.send(
      responseTarget(request.message.topVia(), request.flow),
      sipResponse(),
    );
    expect(reply.connectionId).toBe(sent.connectionId);
    expect((await a.probe.nextMessage()).flow.connectionId).toBe(sent.connectionId);

    network.closeConnection(sent.connectionId!);
    expect((await a.probe.nextClosed()).reason).toBe('peer');
    expect((await b.probe.nextClosed()).flow.connectionId).toBe(sent.connectionId);
    const again = await a.transport.send(
      { protocol: 'tcp', address: '10.0.0.2', port: b.port },
      sipRequest(),
    );
    expect(again.connectionId).not.toBe(sent.connectionId);
  });

  it('fails a stream send to nothing with CONNECT_FAILED and any send before start with NOT_LISTENING', async () => {
    const { network, a } = await pair({}, 'tcp');
    await expect(
      a.transport.send({ protocol: 'tcp', address: '10.0.0.9', port: 5060 }, sipRequest()),
    ).rejects.toMatchObject({ code: 'CONNECT_FAILED' });
    const idle = network.transport({ protocol: 'udp', address: '10.0.0.3', port: 0 });
    await expect(
      idle.send({ protocol: 'udp', address: '10.0.0.1', port: 5060 }, sipRequest()),
    ).rejects.toMatchObject({ code: 'NOT_LISTENING' });
  });

  it('refuses a second endpoint on a taken address', async () => {
    const { network } = await pair();
    const clash = network.transport({ protocol: 'udp', address: '10.0.0.1', port: 5060 });
    await expect(clash.start()).rejects.toMatchObject({ code: 'LISTEN_FAILED' });
  });
});
