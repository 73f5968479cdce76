import type { Socket } from 'node:net';
import { createManualClock } from '../clock.js';
import type { ManualClock } from '../clock.js';
import { rawClient, rawServer } from '../test-support/raw-peers.js';
import type { RawServer } from '../test-support/raw-peers.js';
import { sipRequest, sipResponse } from '../test-support/sip-text.js';
import { createTestTransports } from '../test-support/test-transports.js';
import type { TransportOptions } from './options.js';
import { responseTarget } from './via.js';

const transports = createTestTransports();
const servers: RawServer[] = [];
const clients: Socket[] = [];

const tcpTransport = (address: string, extra: Partial<TransportOptions> = {}) =>
  transports.listen('tcp', address, extra);

async function server(address = '127.0.0.1'): Promise<RawServer> {
  const s = await rawServer(address);
  servers.push(s);
  return s;
}

async function client(address: string, port: number) {
  const c = await rawClient(address, port);
  clients.push(c.socket);
  return c;
}

afterEach(async () => {
  await transports.stopAll();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const c of clients.splice(0)) c.destroy();
});

describe.each([
  ['IPv4', '127.0.0.1', '127.0.0.1'],
  ['IPv6', '::1', '[::1]'],
])('TCP on %s', (_family, address, host) => {
  it('carries a request out and its response back on the same connection', async () => {
    const a = await tcpTransport(address);
    const b = await tcpTransport(address);
    const sent = await a.transport.send(
      { protocol: 'tcp', address, port: b.port },
      sipRequest({ via: `SIP/2.0/TCP ${host}:${a.port};branch=z9hG4bK-t1` }),
    );
    expect(sent.connectionId).toEqual(expect.any(String));

    const request = await b.probe.nextMessage();
    expect(request.flow.protocol).toBe('tcp');
    expect(request.flow.remote).toEqual({ address, port: sent.local.port });
    expect(request.flow.connectionId).toEqual(expect.any(String));
    // Source port ≠ sent-by port: the address is the same, so no received (RFC 3261 §18.2.1).
    expect(request.message.topVia().received).toBeUndefined();

    const target = responseTarget(request.message.topVia(), request.flow);
    expect(target).toEqual({
      protocol: 'tcp',
      address,
      port: a.port,
      connectionId: request.flow.connectionId,
    });
    const replyFlow = await b.transport.send(
      target,
      sipResponse({ via: request.message.headers.get('via')! }),
    );
    expect(replyFlow.connectionId).toBe(request.flow.connectionId);
    const response = await a.probe.nextMessage();
    expect(response.message.type).toBe('response');
    expect(response.flow.connectionId).toBe(sent.connectionId);
  });

  it('carries a request the other way, to the listening port', async () => {
    const a = await tcpTransport(address);
    const b = await tcpTransport(address);
    await b.transport.send(
      { protocol: 'tcp', address, port: a.port },
      sipRequest({ callId: 'b-to-a' }),
    );
    const request = await a.probe.nextMessage();
    expect(request.message.callId()).toBe('b-to-a');
    expect(request.flow.local).toEqual({ address, port: a.port });
  });
});

describe('TCP connections', () => {
  it('reuses one connection for two sends to the same destination', async () => {
    const a = await tcpTransport('127.0.0.1');
    const peer = await server();
    const target = { protocol: 'tcp', address: '127.0.0.1', port: peer.port } as const;
    const first = await a.transport.send(target, sipRequest({ callId: 'one' }));
    const second = await a.transport.send(target, sipRequest({ callId: 'two' }));
    expect(second.connectionId).toBe(first.connectionId);
    const { reader } = await peer.connection(1);
    await reader.waitFor('Call-ID: two');
    expect(peer.accepted).toHaveLength(1);
  });

  it('opens one connection for concurrent sends to a new destination', async () => {
    const a = await tcpTransport('127.0.0.1');
    const peer = await server();
    const target = { protocol: 'tcp', address: '127.0.0.1', port: peer.port } as const;
    const flows = await Promise.all(
      [1, 2, 3].map((n) => a.transport.send(target, sipRequest({ callId: `c${n}` }))),
    );
    expect(new Set(flows.map((f) => f.connectionId)).size).toBe(1);
    const { reader } = await peer.connection(1);
    await reader.waitFor((t) => ['c1', 'c2', 'c3'].every((id) => t.includes(`Call-ID: ${id}`)));
    expect(peer.accepted).toHaveLength(1);
  });

  it('answers on the connection the peer opened, by id and by its address and port', async () => {
    const b = await tcpTransport('127.0.0.1');
    const peer = await client('127.0.0.1', b.port);
    peer.socket.write(sipRequest({ via: 'SIP/2.0/TCP 192.0.2.5:5070;branch=z9hG4bK-in1' }));
    const request = await b.probe.nextMessage();
    expect(request.message.topVia().received).toBe('127.0.0.1');

    const target = responseTarget(request.message.topVia(), request.flow);
    expect(target).toMatchObject({ address: '127.0.0.1', port: 5070 });
    await b.transport.send(target, sipResponse({ reason: 'By-Id' }));
    await peer.reader.waitFor('SIP/2.0 200 By-Id');

    const byAddress = await b.transport.send(
      { protocol: 'tcp', ...request.flow.remote },
      sipRequest({ callId: 'in-dialog' }),
    );
    expect(byAddress.connectionId).toBe(request.flow.connectionId);
    await peer.reader.waitFor('Call-ID: in-dialog');
  });

  it('sends a response to received and the sent-by port when the request connection is gone', async () => {
    const b = await tcpTransport('127.0.0.1');
    const listening = await server();
    const peer = await client('127.0.0.1', b.port);
    peer.socket.write(
      sipRequest({ via: `SIP/2.0/TCP client.invalid:${listening.port};branch=z9hG4bK-gone` }),
    );
    const request = await b.probe.nextMessage();
    peer.socket.destroy();
    await b.probe.nextClosed();
    // RFC 3261 §18.2.2: "the server SHOULD open a connection to the IP address in the
    // "received" parameter, if present, using the port in the "sent-by" value".
    const flow = await b.transport.send(
      responseTarget(request.message.topVia(), request.flow),
      sipResponse({ reason: 'Reconnected' }),
    );
    expect(flow.connectionId).not.toBe(request.flow.connectionId);
    const { reader } = await listening.connection(1);
    await reader.waitFor('SIP/2.0 200 Reconnected');
  });

  it('frames several messages in one write and one message split across writes', async () => {
    const b = await tcpTransport('127.0.0.1');
    const peer = await client('127.0.0.1', b.port);
    peer.socket.write(
      Buffer.concat([sipRequest({ callId: 'w1' }), sipRequest({ callId: 'w2', body: 'hello' })]),
    );
    expect((await b.probe.nextMessage()).message.callId()).toBe('w1');
    const second = await b.probe.nextMessage();
    expect(second.message.callId()).toBe('w2');
    expect(second.message.body.toString()).toBe('hello');

    const split = sipRequest({ callId: 'split', body: 'v=0\r\n' });
    for (const at of [0, 10, 60, split.length - 3]) {
      const next = [10, 60, split.length - 3, split.length].find((n) => n > at)!;
      peer.socket.write(split.subarray(at, next));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const whole = await b.probe.nextMessage();
    expect(whole.message.callId()).toBe('split');
    expect(whole.bytes.equals(split)).toBe(true);
  });

  it('answers a CRLFCRLF ping with a CRLF pong (RFC 5626 §4.4.1)', async () => {
    const b = await tcpTransport('127.0.0.1');
    const peer = await client('127.0.0.1', b.port);
    peer.socket.write('\r\n\r\n');
    await peer.reader.waitFor((t) => t === '\r\n');
    peer.socket.write(sipRequest({ callId: 'after-ping' }));
    expect((await b.probe.nextMessage()).message.callId()).toBe('after-ping');
  });

  it('hands a framed but invalid message up and keeps the connection', async () => {
    const b = await tcpTransport('127.0.0.1');
    const peer = await client('127.0.0.1', b.port);
    peer.socket.write(sipRequest({ via: 'not a via', callId: 'bad' }));
    const invalid = await b.probe.nextInvalid();
    expect(invalid.bytes.toString()).toContain('Call-ID: bad');
    expect(invalid.flow.connectionId).toEqual(expect.any(String));
    peer.socket.write(sipRequest({ callId: 'good' }));
    expect((await b.probe.nextMessage()).message.callId()).toBe('good');
  });

  it('closes a connection whose message exceeds maxMessageBytes', async () => {
    const b = await tcpTransport('127.0.0.1', { maxMessageBytes: 1000 });
    const peer = await client('127.0.0.1', b.port);
    peer.socket.write(sipRequest({ body: 'x'.repeat(5000) }));
    await peer.reader.closed;
    expect(b.probe.messages).toHaveLength(0);
    expect((await b.probe.nextClosed()).reason).toBe('too-large');
  });

  it('closes a connection whose header section never ends within maxMessageBytes', async () => {
    const b = await tcpTransport('127.0.0.1', { maxMessageBytes: 1000 });
    const peer = await client('127.0.0.1', b.port);
    peer.socket.write(`OPTIONS sip:a@b SIP/2.0\r\n${'X-Filler: yyyyyyyyyy\r\n'.repeat(100)}`);
    await peer.reader.closed;
  });

  it('closes a connection after idleTimeoutMs without traffic', async () => {
    const clock = createManualClock();
    const b = await tcpTransport('127.0.0.1', { clock, idleTimeoutMs: 10_000 });
    const peer = await client('127.0.0.1', b.port);
    peer.socket.write(sipRequest({ callId: 'first' }));
    await b.probe.nextMessage();
    clock.advance(9_000);
    peer.socket.write(sipRequest({ callId: 'second' }));
    await b.probe.nextMessage();
    clock.advance(9_000); // 18 s since start, 9 s since the last traffic: still open
    peer.socket.write(sipRequest({ callId: 'third' }));
    expect((await b.probe.nextMessage()).message.callId()).toBe('third');
    clock.advance(10_000);
    await peer.reader.closed;
    expect(b.probe.closed.map((c) => c.reason)).toEqual(['idle']);
  });

  it('sends keep-alive pings on a connection it opened and closes it when no pong comes', async () => {
    const clock = createManualClock();
    const a = await tcpTransport('127.0.0.1', {
      clock,
      keepAliveIntervalMs: 30_000,
      keepAlivePongTimeoutMs: 10_000,
    });
    const peer = await server();
    const request = sipRequest({ callId: 'ka' });
    await a.transport.send({ protocol: 'tcp', address: '127.0.0.1', port: peer.port }, request);
    const { socket, reader } = await peer.connection(1);
    await reader.waitFor('Call-ID: ka');
    // After the request, only CRLFCRLF pings arrive.
    const pings = (t: string) => (t.length - request.length) / 4;
    expect(pings(reader.text())).toBe(0);

    clock.advance(30_000);
    await reader.waitFor((t) => pings(t) === 1);
    expect(reader.text().endsWith('\r\n\r\n')).toBe(true);
    socket.write('\r\n'); // the pong
    socket.write(sipRequest({ callId: 'after-pong' })); // arrives after the pong: it was seen
    await a.probe.nextMessage();
    clock.advance(30_000);
    await reader.waitFor((t) => pings(t) === 2);
    clock.advance(10_000); // no pong this time
    await reader.closed;
    expect(a.probe.closed.map((c) => c.reason)).toEqual(['pong-timeout']);
  });

  it('fails with CONNECT_FAILED when nothing listens', async () => {
    const a = await tcpTransport('127.0.0.1');
    const gone = await server();
    await gone.close();
    servers.splice(servers.indexOf(gone), 1);
    const send = a.transport.send(
      { protocol: 'tcp', address: '127.0.0.1', port: gone.port },
      sipRequest(),
    );
    await expect(send).rejects.toMatchObject({ code: 'CONNECT_FAILED', retryable: true });
  });

  it('fails with CONNECT_TIMEOUT when the handshake does not complete in time', async () => {
    const clock: ManualClock = createManualClock();
    const a = await tcpTransport('127.0.0.1', { clock, connectTimeoutMs: 5_000 });
    const silent = await server(); // accepts TCP, never answers the TLS handshake
    const send = a.transport.send(
      { protocol: 'tls', address: '127.0.0.1', port: silent.port },
      sipRequest(),
    );
    await silent.connection(1);
    clock.advance(5_000);
    await expect(send).rejects.toMatchObject({ code: 'CONNECT_TIMEOUT' });
  });

  it('opens a new connection when the old one was closed by the peer', async () => {
    const a = await tcpTransport('127.0.0.1');
    const peer = await server();
    const target = { protocol: 'tcp', address: '127.0.0.1', port: peer.port } as const;
    const first = await a.transport.send(target, sipRequest());
    const one = await peer.connection(1);
    one.socket.destroy();
    const closed = await a.probe.nextClosed();
    expect(closed).toEqual({ flow: first, reason: 'peer' });
    const second = await a.transport.send(target, sipRequest());
    expect(second.connectionId).not.toBe(first.connectionId);
    await peer.connection(2);
  });

  it('caps the number of connections', async () => {
    const b = await tcpTransport('127.0.0.1', { maxConnections: 1 });
    const first = await client('127.0.0.1', b.port);
    first.socket.write(sipRequest({ callId: 'first' }));
    await b.probe.nextMessage();
    const second = await client('127.0.0.1', b.port);
    await second.reader.closed;
    const peer = await server();
    await expect(
      b.transport.send({ protocol: 'tcp', address: '127.0.0.1', port: peer.port }, sipRequest()),
    ).rejects.toMatchObject({ code: 'CONNECTION_LIMIT' });
  });
});
