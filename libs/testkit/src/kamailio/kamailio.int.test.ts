import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { sipHeader, sipRequest, sipStatus } from '../sip-text.js';
import { createUdpPeer, type UdpPeer } from '../udp-peer.js';
import { withTimeout } from '../wait.js';
import { startKamailio, type Kamailio } from './kamailio.js';

const DOMAIN = 'example.test';
const digest = (algorithm: 'MD5' | 'SHA-256', text: string): string =>
  createHash(algorithm === 'MD5' ? 'md5' : 'sha256')
    .update(text)
    .digest('hex');

interface Registration {
  readonly status: number;
  readonly response: string;
}

/** A REGISTER from a raw UDP socket, answering one 401 with RFC 2617 digest (qop=auth). */
async function register(
  kamailio: Kamailio,
  peer: UdpPeer,
  user: string,
  password: string,
  expires = 60,
  algorithm: 'MD5' | 'SHA-256' = 'MD5',
): Promise<Registration> {
  const callId = `${user}-${peer.port}@testkit`;
  const build = (cseq: number, authorization?: string): string =>
    sipRequest({
      method: 'REGISTER',
      uri: `sip:${DOMAIN}`,
      local: { address: '127.0.0.1', port: peer.port },
      from: `sip:${user}@${DOMAIN}`,
      to: `sip:${user}@${DOMAIN}`,
      callId,
      cseq,
      headers: [
        `Contact: <sip:${user}@127.0.0.1:${peer.port}>;expires=${expires}`,
        ...(authorization ? [`Authorization: ${authorization}`] : []),
      ],
    });
  const exchange = async (request: string): Promise<string> => {
    await peer.send(request, kamailio.port);
    const reply = await peer.next({ timeoutMs: 3000, what: 'a REGISTER response' });
    return reply.text;
  };
  const challenge = await exchange(build(1));
  if (sipStatus(challenge) !== 401)
    return { status: sipStatus(challenge) ?? 0, response: challenge };
  const header = sipHeader(challenge, 'www-authenticate') ?? '';
  const realm = /realm="([^"]*)"/.exec(header)?.[1] ?? '';
  const nonce = /nonce="([^"]*)"/.exec(header)?.[1] ?? '';
  const uri = `sip:${DOMAIN}`;
  const cnonce = 'c0ffee';
  const nc = '00000001';
  const ha1 = digest(algorithm, `${user}:${realm}:${password}`);
  const ha2 = digest(algorithm, `REGISTER:${uri}`);
  const response = digest(algorithm, `${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  const answer = await exchange(
    build(
      2,
      `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", ` +
        `response="${response}", algorithm=${algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}"`,
    ),
  );
  return { status: sipStatus(answer) ?? 0, response: answer };
}

describe('startKamailio', () => {
  let kamailio: Kamailio | undefined;
  let peer: UdpPeer | undefined;
  afterEach(async () => {
    await peer?.close();
    await kamailio?.stop();
    peer = undefined;
    kamailio = undefined;
  });

  it('challenges a REGISTER with 401 and the realm, saves an authorized one, and stops', async () => {
    kamailio = await startKamailio({
      users: [{ username: 'alice', password: 'wonder:land', domain: DOMAIN }],
      domain: DOMAIN,
    });
    peer = await createUdpPeer();

    await peer.send(
      sipRequest({
        method: 'REGISTER',
        uri: `sip:${DOMAIN}`,
        local: { address: '127.0.0.1', port: peer.port },
        from: `sip:alice@${DOMAIN}`,
        to: `sip:alice@${DOMAIN}`,
        headers: [`Contact: <sip:alice@127.0.0.1:${peer.port}>`],
      }),
      kamailio.port,
    );
    const challenge = await peer.next({ timeoutMs: 3000, what: 'the 401' });
    expect(sipStatus(challenge.text)).toBe(401);
    expect(sipHeader(challenge.text, 'www-authenticate')).toMatch(
      new RegExp(`^Digest .*realm="${DOMAIN}"`),
    );
    expect(await kamailio.bindings(`alice@${DOMAIN}`)).toEqual([]);

    const ok = await register(kamailio, peer, 'alice', 'wonder:land', 120);
    expect(ok.status).toBe(200);
    const bindings = await kamailio.bindings(`sip:alice@${DOMAIN}`);
    expect(bindings).toHaveLength(1);
    expect(bindings[0]).toMatchObject({
      contact: `sip:alice@127.0.0.1:${peer.port}`,
      callId: `alice-${peer.port}@testkit`,
      cseq: 2,
      socket: `udp:127.0.0.1:${kamailio.port}`,
    });
    expect(bindings[0]!.expires).toBeGreaterThan(110);
    expect(bindings[0]!.expires).toBeLessThanOrEqual(120);

    const dir = kamailio.dir;
    const exit = await kamailio.stop();
    expect(exit.signal === 'SIGKILL').toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it('challenges a wrong password again, and follows a password change by setUsers', async () => {
    kamailio = await startKamailio({
      users: [{ username: 'bob', password: 'old-secret', domain: DOMAIN }],
      domain: DOMAIN,
      transports: ['udp'],
    });
    peer = await createUdpPeer();
    expect((await register(kamailio, peer, 'bob', 'not-it')).status).toBe(401);
    expect((await register(kamailio, peer, 'bob', 'old-secret')).status).toBe(200);

    await kamailio.setUsers([{ username: 'bob', password: 'new-secret', domain: DOMAIN }]);
    expect((await register(kamailio, peer, 'bob', 'old-secret')).status).toBe(401);
    expect((await register(kamailio, peer, 'bob', 'new-secret')).status).toBe(200);
    // A second change within the same second is seen too (mtime moved forward by a whole second).
    await kamailio.setUsers([{ username: 'bob', password: 'third', domain: DOMAIN }]);
    expect((await register(kamailio, peer, 'bob', 'new-secret')).status).toBe(401);
    expect((await register(kamailio, peer, 'bob', 'third')).status).toBe(200);
  });

  it('challenges with SHA-256 when asked and accepts a SHA-256 response (RFC 8760)', async () => {
    kamailio = await startKamailio({
      users: [{ username: 'dave', password: 'sha-secret', domain: DOMAIN }],
      domain: DOMAIN,
      transports: ['udp'],
      algorithm: 'SHA-256',
    });
    peer = await createUdpPeer();
    const wrong = await register(kamailio, peer, 'dave', 'sha-secret', 60, 'MD5');
    expect(wrong.status).toBe(401);
    expect(sipHeader(wrong.response, 'www-authenticate')).toMatch(/algorithm=SHA-256/);
    expect((await register(kamailio, peer, 'dave', 'sha-secret', 60, 'SHA-256')).status).toBe(200);
  });

  it('answers over TCP on the same port', async () => {
    kamailio = await startKamailio({ users: [], domain: DOMAIN });
    const k = kamailio;
    const reply = await withTimeout(
      new Promise<string>((resolve, reject) => {
        const socket = net.connect({ host: '127.0.0.1', port: k.port }, () => {
          socket.write(
            sipRequest({
              method: 'REGISTER',
              uri: `sip:${DOMAIN}`,
              local: { address: '127.0.0.1', port: socket.localPort!, transport: 'TCP' },
              from: `sip:carol@${DOMAIN}`,
              to: `sip:carol@${DOMAIN}`,
              headers: [`Contact: <sip:carol@127.0.0.1:${socket.localPort};transport=tcp>`],
            }),
          );
        });
        socket.once('data', (data) => {
          socket.destroy();
          resolve(data.toString('utf8'));
        });
        socket.once('error', reject);
      }),
      3000,
      'a REGISTER response over TCP',
    );
    expect(sipStatus(reply)).toBe(401);
  });

  it('reports a start-up failure with the cause', async () => {
    await expect(
      startKamailio({ users: [], binary: '/nonexistent/kamailio' }),
    ).rejects.toMatchObject({ code: 'PEER_START_FAILED', peer: 'kamailio' });
  });
});
