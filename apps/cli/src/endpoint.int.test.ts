import {
  createRequest,
  parseMessage,
  serializeMessage,
  type SipResponse,
} from '@sipwake/sip-parser';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { withTimeout } from '@sipwake/testkit';
import { createSipEndpoint, type SipEndpoint } from './endpoint.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('the SIP endpoint of sipwake start', () => {
  let endpoint: SipEndpoint;
  let port: number;
  let socket: Socket;

  beforeAll(async () => {
    endpoint = createSipEndpoint({
      listen: [{ protocol: 'udp', address: '127.0.0.1', port: 0 }],
      log: silent,
      retryAfterSeconds: 30,
    });
    const listening = await endpoint.start();
    port = listening[0]!.port;
    socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
  });

  afterAll(async () => {
    socket.close();
    await endpoint.stop();
  });

  async function ask(method: string): Promise<SipResponse> {
    const local = socket.address().port;
    const request = createRequest({
      method,
      uri: `sip:probe@127.0.0.1:${port}`,
      headers: [
        ['Via', `SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-${method}-${Date.now()};rport`],
        ['Max-Forwards', '70'],
        ['From', `<sip:monitor@127.0.0.1>;tag=m1`],
        ['To', `<sip:probe@127.0.0.1>`],
        ['Call-ID', `${method}-${Math.random()}@127.0.0.1`],
        ['CSeq', `1 ${method}`],
        ['Content-Length', '0'],
      ],
    });
    const reply = once(socket, 'message');
    socket.send(serializeMessage(request), port, '127.0.0.1');
    const [bytes] = (await withTimeout(reply, 5000, `the answer to ${method}`)) as [Buffer];
    const response = parseMessage(bytes, { datagram: true });
    if (response.type !== 'response') throw new Error('expected a response');
    return response;
  }

  it('answers OPTIONS with 200 and a To tag', async () => {
    const response = await ask('OPTIONS');
    expect(response.status).toBe(200);
    expect(response.headers.get('allow')).toBe('OPTIONS');
    expect(response.to().tag).toBeDefined();
    expect(response.cseq()).toEqual({ seq: 1, method: 'OPTIONS' });
  });

  it('refuses a REGISTER with 503 and Retry-After', async () => {
    const response = await ask('REGISTER');
    expect(response.status).toBe(503);
    expect(response.retryAfter()?.seconds).toBe(30);
  });

  it('answers a malformed request with 400 naming the problem', async () => {
    const local = socket.address().port;
    const broken = [
      `OPTIONS sip:probe@127.0.0.1:${port} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-broken`,
      'From: <sip:monitor@127.0.0.1>;tag=m1',
      'To: <sip:probe@127.0.0.1>',
      'Call-ID: broken-1@127.0.0.1',
      'CSeq: abc OPTIONS',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    const reply = once(socket, 'message');
    socket.send(broken, port, '127.0.0.1');
    const [bytes] = (await withTimeout(reply, 5000, 'the answer to a broken request')) as [Buffer];
    // The answer copies the request's own (broken) CSeq line, so it is read as text.
    const text = bytes.toString('latin1');
    expect(text).toMatch(/^SIP\/2\.0 400 Bad CSeq\r\n/);
    expect(text).toMatch(/\r\nCall-ID: broken-1@127\.0\.0\.1\r\n/i);
  });
});
