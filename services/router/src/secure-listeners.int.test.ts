// The router's TLS and WebSocket listeners on real loopback sockets: a request for a selector
// reaches its shard with the transport it came on, and the router answers a keep-alive
// OPTIONS addressed to itself over the WebSocket (RFC 7118 `sip` subprotocol).
import tls from 'node:tls';
import { createInProcessBus, type Bus } from '@sipwake/bus';
import {
  decodeMessage,
  encodeMessage,
  SipForward,
  SipForwardAck,
  subjects,
} from '@sipwake/contracts';
import { makeSelfSignedCert, sipStatus, waitFor, withTimeout } from '@sipwake/testkit';
import WebSocket from 'ws';
import type { Router } from './types.js';
import { countingMetrics, request, selectorA } from './test-support/router-suite.js';
import { createTestRouter } from './test-support/test-router.js';

let bus: Bus;
let router: Router;
let caPem: string;

beforeAll(async () => {
  const identity = await makeSelfSignedCert();
  bus = createInProcessBus();
  router = createTestRouter({
    bus,
    metrics: countingMetrics(),
    config: {
      routerId: 'r-secure',
      listen: [
        { protocol: 'tls', address: '127.0.0.1', port: 0 },
        { protocol: 'ws', address: '127.0.0.1', port: 0 },
      ],
      tls: { cert: Buffer.from(identity.certPem), key: Buffer.from(identity.keyPem) },
      idleTimeoutMs: 60_000,
      maxConnections: 100,
    },
  });
  await router.start();
  caPem = identity.certPem;
});

afterAll(async () => {
  await router.stop();
  await bus.close();
});

function portOf(protocol: 'tls' | 'ws'): number {
  return router.listening().find((l) => l.protocol === protocol)!.port;
}

it('forwards a request that came over TLS to its shard, saying it came over TLS', async () => {
  const forwards: SipForward[] = [];
  const sub = bus.subscribe(subjects.shardSip(selectorA), (msg) => {
    forwards.push(decodeMessage(SipForward, msg.data));
    msg.respond(encodeMessage(SipForwardAck, { accepted: true, shard: 'fake' }));
  });
  const socket = tls.connect({
    host: '127.0.0.1',
    port: portOf('tls'),
    ca: caPem,
    servername: 'localhost',
  });
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.once('secureConnect', resolve);
        socket.once('error', reject);
      }),
      5_000,
      'the TLS handshake with the router',
    );
    const invite = request('INVITE', `sip:${selectorA}@127.0.0.1`, { transport: 'TLS' });
    socket.write(invite);
    await waitFor(() => forwards.length === 1, {
      timeoutMs: 5_000,
      what: 'the forward to the shard',
    });
    expect(forwards[0]!.transport.protocol).toBe('tls');
    expect(forwards[0]!.transport.connectionId).not.toBeNull();
    expect(Buffer.from(forwards[0]!.message, 'base64').toString()).toBe(invite);
  } finally {
    socket.destroy();
    sub.unsubscribe();
  }
});

it('answers OPTIONS to itself over a WebSocket with the sip subprotocol', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${portOf('ws')}`, 'sip');
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      }),
      5_000,
      'the WebSocket handshake with the router',
    );
    const answer = new Promise<string>((resolve) =>
      ws.once('message', (data: WebSocket.RawData) => resolve(data.toString())),
    );
    ws.send(request('OPTIONS', 'sip:127.0.0.1', { transport: 'WS', via: 'df7jal23ls0d.invalid' }));
    expect(sipStatus(await withTimeout(answer, 5_000, 'the answer to OPTIONS'))).toBe(200);
  } finally {
    ws.close();
  }
});
