import { request as httpRequest } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { makeSelfSignedCert } from '@sipwake/testkit';
import type { TlsIdentity } from '@sipwake/testkit';
import { createManualClock } from '../clock.js';
import { sipRequest, sipResponse } from '../test-support/sip-text.js';
import { createTestTransports } from '../test-support/test-transports.js';
import type { TransportOptions } from './options.js';
import type { TransportProtocol } from './types.js';
import { responseTarget } from './via.js';

let certificate: TlsIdentity;
const transports = createTestTransports();
const sockets: WebSocket[] = [];

beforeAll(async () => {
  certificate = await makeSelfSignedCert();
});
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await transports.stopAll();
});

const wsTransport = (
  protocol: TransportProtocol,
  address = '127.0.0.1',
  extra: Partial<TransportOptions> = {},
) =>
  transports.listen(protocol, address, {
    tls: { key: certificate.keyPem, cert: certificate.certPem, ca: certificate.certPem },
    ...extra,
  });

/** A plain `ws` client; resolves once open, or rejects with the handshake failure. */
function wsClient(url: string, protocols: string[]): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols, { ca: certificate.certPem });
  sockets.push(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function nextFrame(ws: WebSocket): Promise<{ data: Buffer; binary: boolean }> {
  return new Promise((resolve) =>
    ws.once('message', (data: Buffer, binary: boolean) => resolve({ data, binary })),
  );
}

describe.each(['ws', 'wss'] as const)('SIP over WebSocket (%s)', (protocol) => {
  it('carries a request out and its response back on the same connection', async () => {
    const a = await wsTransport(protocol);
    const b = await wsTransport(protocol);
    const sent = await a.transport.send(
      { protocol, address: '127.0.0.1', port: b.port },
      sipRequest({ via: `SIP/2.0/${protocol.toUpperCase()} a.invalid;branch=z9hG4bK-w1` }),
    );
    const request = await b.probe.nextMessage();
    expect(request.flow).toMatchObject({ protocol, remote: { port: sent.local.port } });
    expect(request.message.topVia().received).toBe('127.0.0.1');
    await b.transport.send(
      responseTarget(request.message.topVia(), request.flow),
      sipResponse({ via: request.message.headers.get('via')! }),
    );
    const response = await a.probe.nextMessage();
    expect(response.message.type).toBe('response');
    expect(response.flow.connectionId).toBe(sent.connectionId);
  });

  it('carries a request the other way and reuses the connection', async () => {
    const a = await wsTransport(protocol);
    const b = await wsTransport(protocol);
    const target = { protocol, address: '127.0.0.1', port: a.port } as const;
    const first = await b.transport.send(target, sipRequest({ callId: 'x1' }));
    const second = await b.transport.send(target, sipRequest({ callId: 'x2' }));
    expect(second.connectionId).toBe(first.connectionId);
    expect((await a.probe.nextMessage()).message.callId()).toBe('x1');
    const x2 = await a.probe.nextMessage();
    expect(x2.message.callId()).toBe('x2');
    expect(new Set(a.probe.messages.map((m) => m.flow.connectionId)).size).toBe(1);
  });

  it('echoes the sip subprotocol and takes text and binary frames', async () => {
    const b = await wsTransport(protocol);
    const client = await wsClient(`${protocol}://127.0.0.1:${b.port}/`, ['chat', 'sip']);
    expect(client.protocol).toBe('sip');
    client.send(sipRequest({ callId: 'text' }).toString());
    expect((await b.probe.nextMessage()).message.callId()).toBe('text');
    client.send(sipRequest({ callId: 'binary' }), { binary: true });
    const binary = await b.probe.nextMessage();
    expect(binary.message.callId()).toBe('binary');

    const frame = nextFrame(client);
    await b.transport.send(
      responseTarget(binary.message.topVia(), binary.flow),
      sipResponse({ reason: 'Over-WS' }),
    );
    const { data, binary: isBinary } = await frame;
    expect(isBinary).toBe(false);
    expect(data.toString()).toMatch(/^SIP\/2\.0 200 Over-WS\r\n/);
  });
});

describe('SIP over WebSocket', () => {
  it('refuses a client that does not offer the sip subprotocol', async () => {
    const b = await wsTransport('ws');
    await expect(wsClient(`ws://127.0.0.1:${b.port}/`, ['chat'])).rejects.toThrow(/400/);
    await expect(wsClient(`ws://127.0.0.1:${b.port}/`, [])).rejects.toThrow(/400/);
  });

  it('answers a plain HTTP request with 426 Upgrade Required', async () => {
    const b = await wsTransport('ws');
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: b.port, path: '/' }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(426);
  });

  it('works on IPv6', async () => {
    const a = await wsTransport('ws', '::1');
    const b = await wsTransport('ws', '::1');
    const sent = await a.transport.send(
      { protocol: 'ws', address: '::1', port: b.port },
      sipRequest({ callId: 'v6' }),
    );
    const request = await b.probe.nextMessage();
    expect(request.message.callId()).toBe('v6');
    expect(request.flow.remote).toEqual({ address: '::1', port: sent.local.port });
  });

  it('answers a CRLFCRLF keep-alive message with CRLF', async () => {
    const b = await wsTransport('ws');
    const client = await wsClient(`ws://127.0.0.1:${b.port}/`, ['sip']);
    const frame = nextFrame(client);
    client.send('\r\n\r\n');
    expect((await frame).data.toString()).toBe('\r\n');
  });

  it('closes a connection that sends a message larger than maxMessageBytes', async () => {
    const b = await wsTransport('ws', '127.0.0.1', { maxMessageBytes: 1000 });
    const client = await wsClient(`ws://127.0.0.1:${b.port}/`, ['sip']);
    const closed = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)));
    client.send(sipRequest({ body: 'x'.repeat(2000) }).toString());
    expect(await closed).toBe(1009); // RFC 6455 §7.4.1: message too big
    expect(b.probe.messages).toHaveLength(0);
    expect((await b.probe.nextClosed()).reason).toBe('too-large');
  });

  it('keeps a connection it opened alive with ping frames, and closes idle ones', async () => {
    const clock = createManualClock();
    const a = await wsTransport('ws', '127.0.0.1', {
      clock,
      keepAliveIntervalMs: 20_000,
      idleTimeoutMs: 30_000,
    });
    const server = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      handleProtocols: () => 'sip',
    });
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const accepted = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
      await a.transport.send(
        { protocol: 'ws', address: '127.0.0.1', port: (server.address() as { port: number }).port },
        sipRequest(),
      );
      const peer = await accepted;
      const pinged = new Promise((resolve) => peer.once('ping', resolve));
      clock.advance(20_000);
      await pinged;

      // A connection the peer opened gets no pings: it closes after idleTimeoutMs.
      const client = await wsClient(`ws://127.0.0.1:${a.port}/`, ['sip']);
      const closed = new Promise((resolve) => client.once('close', resolve));
      client.send(sipRequest({ callId: 'then-quiet' }).toString());
      await a.probe.nextMessage();
      clock.advance(30_000);
      await closed;
      expect(a.probe.closed.map((c) => c.reason)).toEqual(['idle']);
    } finally {
      for (const ws of server.clients) ws.terminate();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('fails with CONNECT_FAILED when the server refuses the handshake', async () => {
    const a = await wsTransport('ws');
    const notWs = await wsTransport('tcp'); // a SIP TCP listener: no HTTP, no upgrade
    await expect(
      a.transport.send({ protocol: 'ws', address: '127.0.0.1', port: notWs.port }, sipRequest()),
    ).rejects.toMatchObject({ code: 'CONNECT_FAILED' });
  });
});
