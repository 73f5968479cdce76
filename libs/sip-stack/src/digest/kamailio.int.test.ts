// The digest client against a real registrar: Kamailio's auth module challenges REGISTER, the
// client answers from the parsed 401, and Kamailio saves the binding (200). Covers MD5 and
// SHA-256, qop=auth and the RFC 2069 form, nonce reuse with a rising nc, a refused password and
// an expired nonce.
import { parseMessage, type SipResponse } from '@sipwake/sip-parser';
import {
  createUdpPeer,
  sipRequest,
  startKamailio,
  type Kamailio,
  type UdpPeer,
} from '@sipwake/testkit';
import { createDigestClient, type DigestAnswer, type DigestClient } from './client.js';
import { DigestError } from './errors.js';

const DOMAIN = 'digest.test';
const USERS = [
  { username: 'alice', password: 'wonder:land"1', domain: DOMAIN },
  { username: 'bob', password: 'b0b', domain: DOMAIN },
];

interface Session {
  /** Sends a REGISTER carrying these answers and returns the parsed response. */
  register(answers: readonly DigestAnswer[]): Promise<SipResponse>;
}

function session(kamailio: Kamailio, peer: UdpPeer, user: string): Session {
  const callId = `${user}-${peer.port}@digest`;
  let cseq = 0;
  return {
    async register(answers) {
      cseq++;
      const request = sipRequest({
        method: 'REGISTER',
        uri: `sip:${DOMAIN}`,
        local: { address: '127.0.0.1', port: peer.port },
        from: `sip:${user}@${DOMAIN}`,
        to: `sip:${user}@${DOMAIN}`,
        callId,
        cseq,
        headers: [
          `Contact: <sip:${user}@127.0.0.1:${peer.port}>;expires=60`,
          ...answers.map((a) => `${a.header}: ${a.value}`),
        ],
      });
      await peer.send(request, kamailio.port);
      const reply = await peer.next({
        timeoutMs: 3000,
        what: `the answer to REGISTER CSeq ${cseq}`,
        match: (d) => d.text.includes(`CSeq: ${cseq} REGISTER`),
      });
      return parseMessage(reply.data) as SipResponse;
    },
  };
}

const request = { method: 'REGISTER', uri: `sip:${DOMAIN}` };

/** REGISTER, answer the 401, REGISTER again: the final response and the answers sent. */
async function registerOnce(s: Session, client: DigestClient) {
  const challenged = await s.register([]);
  expect(challenged.status).toBe(401);
  const answers = client.answer({ ...request, wwwAuthenticate: challenged.wwwAuthenticate() });
  return { response: await s.register(answers), answers, challenged };
}

describe('digest client against Kamailio', () => {
  let kamailio: Kamailio | undefined;
  let peer: UdpPeer | undefined;
  afterEach(async () => {
    await peer?.close();
    await kamailio?.stop();
    peer = undefined;
    kamailio = undefined;
  });

  it('registers with MD5 qop=auth, reuses the nonce with nc 2, and is refused a wrong password', async () => {
    kamailio = await startKamailio({
      users: USERS,
      domain: DOMAIN,
      algorithm: 'MD5',
      transports: ['udp'],
    });
    peer = await createUdpPeer();
    const alice = createDigestClient({
      credentials: { username: 'alice', password: 'wonder:land"1' },
    });
    const s = session(kamailio, peer, 'alice');
    const { response, answers } = await registerOnce(s, alice);
    expect(answers.map((a) => [a.algorithm, a.qop, a.params['nc']])).toEqual([
      ['MD5', 'auth', '00000001'],
    ]);
    expect(response.status).toBe(200);
    const reused = alice.authorize(request);
    expect(reused[0]?.params['nc']).toBe('00000002');
    expect((await s.register(reused)).status).toBe(200);
    expect(await kamailio.bindings(`alice@${DOMAIN}`)).toHaveLength(1);

    const wrong = createDigestClient({ credentials: { username: 'bob', password: 'not-bobs' } });
    const b = session(kamailio, peer, 'bob');
    const refused = await registerOnce(b, wrong);
    expect(refused.response.status).toBe(401);
    let error: unknown;
    try {
      wrong.answer({
        ...request,
        previous: refused.answers,
        wwwAuthenticate: refused.response.wwwAuthenticate(),
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DigestError);
    expect(error).toMatchObject({ code: 'DIGEST_CREDENTIALS_REJECTED', realm: DOMAIN });
  });

  it('registers with SHA-256 (RFC 8760)', async () => {
    kamailio = await startKamailio({
      users: USERS,
      domain: DOMAIN,
      algorithm: 'SHA-256',
      transports: ['udp'],
    });
    peer = await createUdpPeer();
    const client = createDigestClient({
      credentials: { username: 'alice', password: 'wonder:land"1' },
    });
    const { response, answers, challenged } = await registerOnce(
      session(kamailio, peer, 'alice'),
      client,
    );
    expect(challenged.wwwAuthenticate()[0]?.params['algorithm']).toBe('SHA-256');
    expect(answers[0]?.algorithm).toBe('SHA-256');
    expect(response.status).toBe(200);
  });

  it('registers with an RFC 2069 challenge (no qop)', async () => {
    kamailio = await startKamailio({
      users: USERS,
      domain: DOMAIN,
      qop: false,
      transports: ['udp'],
    });
    peer = await createUdpPeer();
    const client = createDigestClient({ credentials: { username: 'bob', password: 'b0b' } });
    const { response, answers } = await registerOnce(session(kamailio, peer, 'bob'), client);
    expect(answers[0]?.qop).toBeUndefined();
    expect(answers[0]?.value).not.toContain('nc=');
    expect(response.status).toBe(200);
  });

  it('recovers from an expired nonce that Kamailio refuses (stale or not) without asking again', async () => {
    kamailio = await startKamailio({
      users: USERS,
      domain: DOMAIN,
      nonceExpiresS: 1,
      transports: ['udp'],
    });
    peer = await createUdpPeer();
    const client = createDigestClient({
      credentials: { username: 'alice', password: 'wonder:land"1' },
    });
    const s = session(kamailio, peer, 'alice');
    expect((await registerOnce(s, client)).response.status).toBe(200);
    // The held nonce expires after 1 s on Kamailio's clock: reuse it until Kamailio says stale
    // (each round waits for its answer; bounded in count).
    let stale: { response: SipResponse; sent: DigestAnswer[] } | undefined;
    for (let round = 0; round < 40 && !stale; round++) {
      const sent = client.authorize(request);
      const response = await s.register(sent);
      if (response.status === 401) stale = { response, sent };
      else {
        expect(response.status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(stale).toBeDefined();
    // This Kamailio (www_challenge without its stale flag) refuses the expired nonce with a plain
    // 401; the answer reused a held nonce, so the client retries once instead of giving up.
    expect(stale!.sent[0]?.reusedNonce).toBe(true);
    const retried = client.answer({
      ...request,
      previous: stale!.sent,
      wwwAuthenticate: stale!.response.wwwAuthenticate(),
    });
    expect(retried[0]?.params['nc']).toBe('00000001');
    expect((await s.register(retried)).status).toBe(200);
  });
});
