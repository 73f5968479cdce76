// The answer to an unparseable request over a real UDP socket: a transaction layer on the UDP
// transport, a plain datagram socket on the other side.
import { createSocket, type Socket } from 'node:dgram';
import { systemClock } from '../clock.js';
import { createTestTransports } from '../test-support/test-transports.js';
import { createTransactionLayer } from './layer.js';
import type { TransactionLayer } from './types.js';

const transports = createTestTransports();
let layer: TransactionLayer;
let socket: Socket;
let port: number;
/** Datagrams the socket received, in order, and the waiters for the next ones. */
const received: string[] = [];
const waiting: ((text: string) => void)[] = [];

function nextDatagram(): Promise<string> {
  const text = received.shift();
  if (text !== undefined) return Promise.resolve(text);
  return new Promise((resolve) => waiting.push(resolve));
}

function send(text: string): void {
  socket.send(Buffer.from(text, 'latin1'), port, '127.0.0.1');
}

function request(options: { startLine?: string; cseq?: string; callId: string }): string {
  return [
    options.startLine ?? `INVITE sip:bob@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${socket.address().port};branch=z9hG4bK-${options.callId};rport`,
    'Max-Forwards: 70',
    'From: <sip:alice@127.0.0.1>;tag=a1',
    'To: <sip:bob@127.0.0.1>',
    `Call-ID: ${options.callId}`,
    `CSeq: ${options.cseq ?? '1 INVITE'}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

beforeEach(async () => {
  const listening = await transports.listen('udp');
  port = listening.port;
  layer = createTransactionLayer({ transport: listening.transport, clock: systemClock() });
  layer.onRequest(() => {
    throw new Error('no request here parses');
  });
  socket = createSocket('udp4');
  socket.on('message', (bytes) => {
    const text = bytes.toString('latin1');
    const resolve = waiting.shift();
    if (resolve) resolve(text);
    else received.push(text);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
});

afterEach(async () => {
  layer.stop();
  await transports.stopAll();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  received.length = 0;
  waiting.length = 0;
});

describe('an unparseable request over UDP', () => {
  it('answers a broken CSeq "400 Bad CSeq" to the source port, with its Via and Call-ID', async () => {
    send(request({ cseq: 'abc INVITE', callId: 'udp-broken-cseq' }));
    const answer = await nextDatagram();
    const lines = answer.split('\r\n');
    expect(lines[0]).toBe('SIP/2.0 400 Bad CSeq');
    expect(lines).toContain(
      `Via: SIP/2.0/UDP 127.0.0.1:${socket.address().port};branch=z9hG4bK-udp-broken-cseq;rport=${socket.address().port};received=127.0.0.1`,
    );
    expect(lines).toContain('Call-ID: udp-broken-cseq');
    expect(lines).toContain('CSeq: abc INVITE');
    expect(lines.find((l) => l.startsWith('To:'))).toMatch(/^To: <sip:bob@127\.0\.0\.1>;tag=\w+$/);
  });

  it('answers nothing to garbage or a malformed response, and 505 to another SIP version', async () => {
    send('not SIP at all');
    send(
      [
        'SIP/2.0 200 OK',
        ...request({ cseq: 'abc INVITE', callId: 'r' }).split('\r\n').slice(1),
      ].join('\r\n'),
    );
    send(request({ cseq: 'abc ACK', callId: 'ack', startLine: `ACK sip:bob@127.0.0.1 SIP/2.0` }));
    // The datagrams arrive in order on loopback: the first answer is the one to this request.
    send(request({ startLine: `OPTIONS sip:bob@127.0.0.1 SIP/3.0`, callId: 'udp-version' }));
    const answer = await nextDatagram();
    expect(answer.split('\r\n')[0]).toBe('SIP/2.0 505 Version Not Supported');
    expect(answer).toContain('\r\nCall-ID: udp-version\r\n');
    expect(received).toEqual([]);
  });
});
