import { connect } from 'node:net';
import { WebSocket } from 'ws';
import { makeSelfSignedCert } from '@sipwake/testkit';
import type { TlsIdentity } from '@sipwake/testkit';
import { rawClient, rawServer } from '../test-support/raw-peers.js';
import type { RawServer } from '../test-support/raw-peers.js';
import { sipRequest } from '../test-support/sip-text.js';
import { probe } from '../test-support/transport-probe.js';
import { createTransport } from './transport.js';
import type { TransportProtocol } from './types.js';

let certificate: TlsIdentity;
const servers: RawServer[] = [];

beforeAll(async () => {
  certificate = await makeSelfSignedCert();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('Transport life cycle', () => {
  it('listens on every protocol and reports the bound ports in order', async () => {
    const protocols: TransportProtocol[] = ['udp', 'tcp', 'tls', 'ws', 'wss'];
    const transport = createTransport({
      listen: [
        ...protocols.map((protocol) => ({ protocol, address: '127.0.0.1', port: 0 })),
        { protocol: 'udp', address: '::1', port: 0 },
      ],
      tls: { key: certificate.keyPem, cert: certificate.certPem },
      idleTimeoutMs: 60_000,
      keepAliveIntervalMs: 0,
      maxMessageBytes: 65_535,
    });
    expect(transport.listening()).toEqual([]);
    await transport.start();
    await transport.start(); // idempotent
    const bound = transport.listening();
    expect(bound.map((b) => `${b.protocol}@${b.address}`)).toEqual([
      'udp@127.0.0.1',
      'tcp@127.0.0.1',
      'tls@127.0.0.1',
      'ws@127.0.0.1',
      'wss@127.0.0.1',
      'udp@::1',
    ]);
    expect(bound.every((b) => b.port > 0)).toBe(true);
    await transport.stop();
  });

  it('stop() closes every listener and connection, aborts connects, and is idempotent', async () => {
    const transport = createTransport({
      listen: [
        { protocol: 'udp', address: '127.0.0.1', port: 0 },
        { protocol: 'tcp', address: '127.0.0.1', port: 0 },
        { protocol: 'ws', address: '127.0.0.1', port: 0 },
      ],
      idleTimeoutMs: 60_000,
      keepAliveIntervalMs: 1_000,
      maxMessageBytes: 65_535,
    });
    const events = probe(transport);
    await transport.start();
    const [, tcp, ws] = transport.listening();

    // A connection the peer opened, a WebSocket, one we opened, and a connect that hangs.
    const inbound = await rawClient('127.0.0.1', tcp!.port);
    inbound.socket.write(sipRequest({ callId: 'in' }));
    await events.nextMessage();
    const socket = new WebSocket(`ws://127.0.0.1:${ws!.port}/`, ['sip']);
    const wsClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise((resolve) => socket.once('open', resolve));
    const peer = await rawServer('127.0.0.1');
    servers.push(peer);
    await transport.send({ protocol: 'tcp', address: '127.0.0.1', port: peer.port }, sipRequest());
    const outbound = await peer.connection(1);
    const silent = await rawServer('127.0.0.1');
    servers.push(silent);
    const hanging = transport.send(
      { protocol: 'tls', address: '127.0.0.1', port: silent.port },
      sipRequest(),
    );
    await silent.connection(1);

    const stopping = transport.stop();
    expect(transport.stop()).toBe(stopping);
    await stopping;
    await expect(hanging).rejects.toMatchObject({ code: 'NOT_LISTENING' });
    await Promise.all([inbound.reader.closed, outbound.reader.closed, wsClosed]);
    expect(await refused(tcp!.port)).toBe(true);
    expect(await refused(ws!.port)).toBe(true);
    expect(transport.listening()).toEqual([]);
    expect(events.closed.map((c) => c.reason).sort()).toEqual(['stopped', 'stopped', 'stopped']);
    await transport.stop();
    await expect(transport.start()).rejects.toMatchObject({ code: 'NOT_LISTENING' });
  });

  it('a failed start releases the listeners it had bound', async () => {
    const taken = await rawServer('127.0.0.1');
    servers.push(taken);
    const transport = createTransport({
      listen: [
        { protocol: 'tcp', address: '127.0.0.1', port: 0 },
        { protocol: 'tcp', address: '127.0.0.1', port: taken.port },
      ],
      idleTimeoutMs: 60_000,
      keepAliveIntervalMs: 0,
      maxMessageBytes: 65_535,
    });
    await expect(transport.start()).rejects.toMatchObject({ code: 'LISTEN_FAILED' });
    expect(transport.listening()).toEqual([]);
    await transport.stop();
  });
});
