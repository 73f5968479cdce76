// The client's header text, read back as a parser reads it, verified by the server: for every
// algorithm and qop. The reader below is a test stand-in for @sipwake/sip-parser's auth-param
// parsing (quoted-strings with quoted-pairs, tokens).
import type { AuthHeader } from '@sipwake/sip-parser';
import { createManualClock } from '../clock.js';
import { allDigestAlgorithms, lookupAlgorithm } from './algorithm.js';
import { createDigestClient, type DigestAnswer } from './client.js';
import type { DigestQop } from './compute.js';
import { createDigestServer, type DigestServer } from './server.js';

function readAuthHeader(value: string): AuthHeader {
  const space = value.indexOf(' ');
  const scheme = value.slice(0, space);
  const params: Record<string, string> = {};
  const text = value.slice(space + 1);
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    const name = text.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    let v = '';
    if (text[i] === '"') {
      for (i++; text[i] !== '"'; i++) {
        if (text[i] === '\\') i++;
        v += text[i];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== ',') v += text[i++];
      v = v.trim();
    }
    params[name] = v;
    while (i < text.length && (text[i] === ',' || text[i] === ' ')) i++;
  }
  return { scheme, params };
}

const read = (answers: readonly DigestAnswer[]) => answers.map((a) => readAuthHeader(a.value));

const password = 'pa"ss\\word';
const invite = {
  method: 'INVITE',
  uri: 'sip:bob@b.example;transport=tcp',
  body: Buffer.from('v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n'),
};

function pair(algorithm: (typeof allDigestAlgorithms)[number], qop: readonly DigestQop[]) {
  const server: DigestServer = createDigestServer({
    realm: 'b.example',
    secret: 'round trip secret, 32 bytes long',
    clock: createManualClock(),
    lookup: async (u) => (u === 'al"ice' ? { password } : undefined),
    algorithms: [algorithm],
    qop,
  });
  const client = createDigestClient({
    credentials: { username: 'al"ice', password },
    preferAuthInt: true,
  });
  return { server, client };
}

const qops: [string, DigestQop[]][] = [
  ['auth', ['auth']],
  ['auth-int', ['auth-int']],
  ['none (RFC 2069)', []],
];
const cases = allDigestAlgorithms.flatMap((algorithm) =>
  qops
    .filter(([, qop]) => qop.length > 0 || !lookupAlgorithm(algorithm)?.session)
    .map(([name, qop]) => [algorithm, name, qop] as const),
);

describe('digest client and server together', () => {
  it.each(cases)(
    '%s with qop %s: accepted as written, refused when tampered',
    async (algorithm, _name, qop) => {
      const { server, client } = pair(algorithm, qop);
      const challenge = server.challenge().values.map(readAuthHeader);
      const answers = client.answer({ ...invite, wwwAuthenticate: challenge });
      expect(answers.map((a) => [a.algorithm, a.qop])).toEqual([[algorithm, qop[0]]]);
      const authorization = read(answers);
      expect(authorization[0]?.params['username']).toBe('al"ice');

      const result = await server.verify({ ...invite, authorization });
      expect(result).toMatchObject({ ok: true, username: 'al"ice', algorithm });
      if (!result.ok) return;
      if (qop.length > 0) {
        const info = readAuthHeader(`Digest ${result.authenticationInfo}`).params;
        expect(client.checkAuthenticationInfo(answers[0]!, info, invite)).toBe('verified');
        expect(
          client.checkAuthenticationInfo(
            answers[0]!,
            { ...info, rspauth: '0'.repeat(info['rspauth']!.length) },
            invite,
          ),
        ).toBe('mismatch');
      }

      // The next request signs with the next nc and passes too (a fresh nonce without qop).
      const next =
        qop.length > 0
          ? client.authorize(invite)
          : client.answer({
              ...invite,
              wwwAuthenticate: server.challenge().values.map(readAuthHeader),
            });
      expect((await server.verify({ ...invite, authorization: read(next) })).ok).toBe(true);

      // Another method, or (auth-int) another body, under the same credentials is refused.
      const again =
        qop.length > 0
          ? client.authorize(invite)
          : client.answer({
              ...invite,
              wwwAuthenticate: server.challenge().values.map(readAuthHeader),
            });
      const tampered =
        qop[0] === 'auth-int'
          ? await server.verify({
              ...invite,
              body: Buffer.from('v=1\r\n'),
              authorization: read(again),
            })
          : await server.verify({ ...invite, method: 'BYE', authorization: read(again) });
      expect(tampered).toMatchObject({ ok: false, reason: 'bad-response' });
    },
  );

  it('goes 407 then 401 through a proxy and a registrar, each verifying its own realm', async () => {
    const clock = createManualClock();
    const lookup = async (u: string) => (u === 'alice' ? { password: 'pw' } : undefined);
    const proxy = createDigestServer({
      realm: 'proxy.example',
      secret: 'proxy secret of sufficient size',
      clock,
      lookup,
      proxy: true,
    });
    const registrar = createDigestServer({
      realm: 'b.example',
      secret: 'registrar secret, long enough!',
      clock,
      lookup,
    });
    const client = createDigestClient({ credentials: { username: 'alice', password: 'pw' } });
    const request = { method: 'REGISTER', uri: 'sip:b.example' };

    const at407 = await proxy.verify({ ...request, authorization: [] });
    if (at407.ok) throw new Error('the proxy should challenge');
    const first = client.answer({
      ...request,
      proxyAuthenticate: at407.challenge.values.map(readAuthHeader),
    });
    const proxyAuth = (answers: DigestAnswer[]) =>
      read(answers.filter((a) => a.header === 'Proxy-Authorization'));
    const auth = (answers: DigestAnswer[]) =>
      read(answers.filter((a) => a.header === 'Authorization'));
    expect((await proxy.verify({ ...request, authorization: proxyAuth(first) })).ok).toBe(true);
    const at401 = await registrar.verify({ ...request, authorization: auth(first) });
    if (at401.ok) throw new Error('the registrar should challenge');

    const second = client.answer({
      ...request,
      previous: first,
      wwwAuthenticate: at401.challenge.values.map(readAuthHeader),
    });
    expect(second.map((a) => a.header).sort()).toEqual(['Authorization', 'Proxy-Authorization']);
    expect((await proxy.verify({ ...request, authorization: proxyAuth(second) })).ok).toBe(true);
    expect(await registrar.verify({ ...request, authorization: auth(second) })).toMatchObject({
      ok: true,
      username: 'alice',
    });
  });
});
