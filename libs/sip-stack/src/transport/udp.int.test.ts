import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { sipRequest, sipResponse } from '../test-support/sip-text.js';
import { createTestTransports } from '../test-support/test-transports.js';
import { TransportError } from './errors.js';
import type { TransportOptions } from './options.js';
import { createTransport } from './transport.js';
import type { Transport } from './types.js';
import { responseTarget } from './via.js';

/** Transports a test creates itself (one that cannot start, one never started). */
const started: Transport[] = [];
const sockets: Socket[] = [];

const transports = createTestTransports();
const udpTransport = (address: string, extra: Partial<TransportOptions> = {}) =>
  transports.listen('udp', address, extra);

async function rawSocket(type: 'udp4' | 'udp6', address: string): Promise<Socket> {
  const socket = createSocket(type);
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return socket;
}

afterEach(async () => {
  await transports.stopAll();
  await Promise.all(started.splice(0).map((t) => t.stop()));
  await Promise.all(sockets.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

describe.each([
  ['IPv4', '127.0.0.1', '127.0.0.1'],
  ['IPv6', '::1', '[::1]'],
])('UDP on %s', (_family, address, host) => {
  it('delivers a request from the listening port and the response back to it', async () => {
    const a = await udpTransport(address);
    const b = await udpTransport(address);
    const bytes = sipRequest({ via: `SIP/2.0/UDP ${host}:${a.port};rport;branch=z9hG4bK-a1` });

    const sentFlow = await a.transport.send({ protocol: 'udp', address, port: b.port }, bytes);
    expect(sentFlow).toMatchObject({
      protocol: 'udp',
      local: { port: a.port },
      remote: { port: b.port },
    });

    const request = await b.probe.nextMessage();
    expect(request.bytes.equals(bytes)).toBe(true);
    expect(request.flow).toMatchObject({ protocol: 'udp', remote: { address, port: a.port } });
    expect(request.flow.connectionId).toBeUndefined();
    // RFC 3581 §4: rport filled with the source port, received added even though it is the same.
    expect(request.message.headers.get('via')).toBe(
      `SIP/2.0/UDP ${host}:${a.port};rport=${a.port};branch=z9hG4bK-a1;received=${address}`,
    );

    const via = request.message.topVia();
    const target = responseTarget(via, request.flow);
    expect(target).toEqual({ protocol: 'udp', address, port: a.port });
    await b.transport.send(target, sipResponse({ via: request.message.headers.get('via')! }));
    const response = await a.probe.nextMessage();
    expect(response.message.type).toBe('response');
    expect(response.flow.remote.port).toBe(b.port);
  });
});

/** The receive buffer the kernel gave the UDP socket bound to `port`, as `ss` reports it. */
function receiveBufferOf(port: number): number {
  const out = execFileSync('ss', ['-uamnH', `sport = :${port}`], { encoding: 'utf8' });
  const match = /rb(\d+)/.exec(out);
  if (!match) throw new Error(`ss shows no socket on ${port}: ${out}`);
  return Number(match[1]);
}

describe('UDP', () => {
  it('asks the kernel for the configured receive buffer, so bursts are not dropped', async () => {
    const plain = await udpTransport('127.0.0.1');
    const big = await udpTransport('127.0.0.1', { udpReceiveBufferBytes: 1024 * 1024 });
    const defaultBytes = receiveBufferOf(plain.port);
    const raised = receiveBufferOf(big.port);
    // Linux doubles the asked size (bookkeeping); rmem_max caps it, 4 MiB on these machines.
    expect(raised).toBeGreaterThanOrEqual(1024 * 1024);
    expect(raised).toBeGreaterThan(defaultBytes);
  });

  it('adds received when the sent-by is a name, and leaves rport alone when not asked', async () => {
    const b = await udpTransport('127.0.0.1');
    const client = await rawSocket('udp4', '127.0.0.1');
    client.send(
      sipRequest({ via: 'SIP/2.0/UDP client.invalid:5099;branch=z9hG4bK-n1' }),
      b.port,
      '127.0.0.1',
    );
    const request = await b.probe.nextMessage();
    expect(request.message.headers.get('via')).toBe(
      'SIP/2.0/UDP client.invalid:5099;branch=z9hG4bK-n1;received=127.0.0.1',
    );
    expect(responseTarget(request.message.topVia(), request.flow)).toEqual({
      protocol: 'udp',
      address: '127.0.0.1',
      port: 5099,
    });
  });

  it('leaves the Via of a request whose sent-by is its source untouched', async () => {
    const b = await udpTransport('127.0.0.1');
    const client = await rawSocket('udp4', '127.0.0.1');
    const via = `SIP/2.0/UDP 127.0.0.1:${client.address().port};branch=z9hG4bK-s1`;
    client.send(sipRequest({ via }), b.port, '127.0.0.1');
    const request = await b.probe.nextMessage();
    expect(request.message.headers.get('via')).toBe(via);
  });

  it('rewrites only the first Via value of a comma list', async () => {
    const b = await udpTransport('127.0.0.1');
    const client = await rawSocket('udp4', '127.0.0.1');
    const via =
      'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-c1;rport, SIP/2.0/UDP 192.0.2.2;branch=z9hG4bK-c0';
    client.send(sipRequest({ via }), b.port, '127.0.0.1');
    const request = await b.probe.nextMessage();
    const port = client.address().port;
    expect(request.message.headers.getAll('via')).toEqual([
      `SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-c1;rport=${port};received=127.0.0.1, SIP/2.0/UDP 192.0.2.2;branch=z9hG4bK-c0`,
    ]);
    expect(request.message.via().map((v) => v.branch)).toEqual(['z9hG4bK-c1', 'z9hG4bK-c0']);
  });

  it('drops an unparseable datagram and keep-alives, and hands a broken request up as invalid', async () => {
    const b = await udpTransport('127.0.0.1');
    const client = await rawSocket('udp4', '127.0.0.1');
    const send = (bytes: Buffer | string): void => client.send(bytes, b.port, '127.0.0.1');
    send('\r\n\r\n');
    send('not SIP at all');
    send(sipRequest({ via: 'this is no via' }));
    const invalid = await b.probe.nextInvalid();
    expect(invalid.bytes.toString()).toContain('this is no via');
    send(sipRequest({ callId: 'after' }));
    const request = await b.probe.nextMessage();
    expect(request.message.callId()).toBe('after');
    expect(b.probe.messages).toHaveLength(1);
    expect(b.probe.invalid).toHaveLength(1);
  });

  it('drops a datagram larger than maxMessageBytes', async () => {
    const b = await udpTransport('127.0.0.1', { maxMessageBytes: 2000 });
    const client = await rawSocket('udp4', '127.0.0.1');
    client.send(sipRequest({ body: 'x'.repeat(3000), callId: 'big' }), b.port, '127.0.0.1');
    client.send(sipRequest({ callId: 'small' }), b.port, '127.0.0.1');
    const request = await b.probe.nextMessage();
    expect(request.message.callId()).toBe('small');
  });

  it('refuses a message larger than 65,507 bytes with MESSAGE_TOO_LARGE', async () => {
    const a = await udpTransport('127.0.0.1');
    const send = a.transport.send(
      { protocol: 'udp', address: '127.0.0.1', port: 9 },
      Buffer.alloc(65_508, 0x41),
    );
    await expect(send).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE', retryable: false });
  });

  it('refuses to send with NOT_LISTENING before start, after stop, and without a listener of the family', async () => {
    const unstarted = createTransport({
      listen: [{ protocol: 'udp', address: '127.0.0.1', port: 0 }],
      idleTimeoutMs: 1000,
      keepAliveIntervalMs: 0,
      maxMessageBytes: 65_535,
    });
    const target = { protocol: 'udp', address: '127.0.0.1', port: 9 } as const;
    await expect(unstarted.send(target, sipRequest())).rejects.toMatchObject({
      code: 'NOT_LISTENING',
    });

    const a = await udpTransport('127.0.0.1');
    const v6 = a.transport.send({ ...target, address: '::1' }, sipRequest());
    await expect(v6).rejects.toBeInstanceOf(TransportError);
    await expect(v6).rejects.toMatchObject({ code: 'NOT_LISTENING' });
    await a.transport.stop();
    await expect(a.transport.send(target, sipRequest())).rejects.toMatchObject({
      code: 'NOT_LISTENING',
    });
  });

  it('fails to start with LISTEN_FAILED when the port is taken', async () => {
    const a = await udpTransport('127.0.0.1');
    const b = createTransport({
      listen: [{ protocol: 'udp', address: '127.0.0.1', port: a.port }],
      idleTimeoutMs: 1000,
      keepAliveIntervalMs: 0,
      maxMessageBytes: 65_535,
    });
    started.push(b);
    await expect(b.start()).rejects.toMatchObject({ code: 'LISTEN_FAILED' });
    expect(b.listening()).toEqual([]);
  });
});
