import type { AuthHeader } from '@sipwake/sip-parser';
import { createDigestClient, type DigestAnswer } from './client.js';
import { computeHa1, computeUserhash } from './compute.js';
import { DigestError } from './errors.js';

const digest = (params: Record<string, string>): AuthHeader => ({ scheme: 'Digest', params });
const fixedCnonce = (value: string) => () => value;

// RFC 7616 §3.9.1: one 401 with a SHA-256 and an MD5 challenge (same nonce and opaque).
const rfcChallenge = {
  realm: 'http-auth@example.org',
  qop: 'auth, auth-int',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
};
const rfcCnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
const mufasa = { username: 'Mufasa', password: 'Circle of Life' };
const get = { method: 'GET', uri: '/dir/index.html' };

function expectDigestError(fn: () => unknown, code: string): DigestError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DigestError);
    expect((err as DigestError).code).toBe(code);
    return err as DigestError;
  }
  throw new Error(`expected ${code}`);
}

describe('digest client', () => {
  it('answers the RFC 7616 §3.9.1 challenges with SHA-256, written as the RFC writes it', () => {
    const client = createDigestClient({ credentials: mufasa, cnonce: fixedCnonce(rfcCnonce) });
    const [answer, ...rest] = client.answer({
      ...get,
      wwwAuthenticate: [
        digest({ ...rfcChallenge, algorithm: 'SHA-256' }),
        digest({ ...rfcChallenge, algorithm: 'MD5' }),
      ],
    });
    expect(rest).toEqual([]);
    expect(answer?.header).toBe('Authorization');
    expect(answer?.value).toBe(
      'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", ' +
        'algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, ' +
        'cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, ' +
        'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", ' +
        'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
  });

  it('answers the RFC 7616 §3.9.1 MD5 challenge alone with the RFC response', () => {
    const client = createDigestClient({ credentials: mufasa, cnonce: fixedCnonce(rfcCnonce) });
    const [answer] = client.answer({
      ...get,
      wwwAuthenticate: [digest({ ...rfcChallenge, algorithm: 'MD5' })],
    });
    expect(answer?.algorithm).toBe('MD5');
    expect(answer?.params['response']).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(answer?.value).toContain('algorithm=MD5, ');
  });

  it('chooses the strongest supported challenge per realm, wherever it is listed', () => {
    const client = createDigestClient({ credentials: mufasa });
    const challenges = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512-256'].map((algorithm) =>
      digest({ realm: 'r', nonce: 'n', qop: 'auth', algorithm }),
    );
    expect(client.answer({ ...get, wwwAuthenticate: challenges }).map((a) => a.algorithm)).toEqual([
      'SHA-512-256',
    ]);
    const noSha512 = createDigestClient({ credentials: mufasa, algorithms: ['SHA-256', 'MD5'] });
    expect(
      noSha512.answer({ ...get, wwwAuthenticate: challenges }).map((a) => a.algorithm),
    ).toEqual(['SHA-256']);
  });

  it('keeps the topmost among equally strong challenges (the server’s preference)', () => {
    const client = createDigestClient({ credentials: mufasa });
    const answers = client.answer({
      ...get,
      wwwAuthenticate: [
        digest({ realm: 'r', nonce: 'n', qop: 'auth', algorithm: 'SHA-256-sess' }),
        digest({ realm: 'r', nonce: 'n', qop: 'auth', algorithm: 'SHA-256' }),
      ],
    });
    expect(answers.map((a) => a.algorithm)).toEqual(['SHA-256-sess']);
  });

  it('answers each realm of a response that aggregates several (RFC 3261 §16.7 step 7)', () => {
    const client = createDigestClient({ credentials: mufasa });
    const answers = client.answer({
      ...get,
      wwwAuthenticate: [digest({ realm: 'a', nonce: 'na', qop: 'auth' })],
      proxyAuthenticate: [digest({ realm: 'p', nonce: 'np', qop: 'auth', algorithm: 'SHA-256' })],
    });
    expect(answers.map((a) => [a.header, a.realm, a.algorithm])).toEqual([
      ['Authorization', 'a', 'MD5'],
      ['Proxy-Authorization', 'p', 'SHA-256'],
    ]);
  });

  it('answers an RFC 2069 challenge (no qop) without nc, cnonce or qop, and echoes no algorithm', () => {
    const client = createDigestClient({ credentials: mufasa });
    const [answer] = client.answer({
      ...get,
      wwwAuthenticate: [digest({ realm: 'r', nonce: 'n' })],
    });
    expect(answer?.value).not.toMatch(/nc=|cnonce=|qop=|algorithm=/);
    expect(answer?.qop).toBeUndefined();
    expect(answer?.nc).toBeUndefined();
  });

  it('uses auth-int only when it has the body, auth otherwise', () => {
    const client = createDigestClient({ credentials: mufasa });
    const onlyAuthInt = [digest({ realm: 'r', nonce: 'n', qop: 'auth-int' })];
    expectDigestError(
      () => client.answer({ ...get, wwwAuthenticate: onlyAuthInt }),
      'DIGEST_UNSUPPORTED_QOP',
    );
    const body = Buffer.from('v=0\r\n');
    expect(client.answer({ ...get, body, wwwAuthenticate: onlyAuthInt })[0]?.qop).toBe('auth-int');
    const both = [digest({ realm: 'r', nonce: 'n', qop: 'auth,auth-int' })];
    expect(client.answer({ ...get, body, wwwAuthenticate: both })[0]?.qop).toBe('auth');
    const preferring = createDigestClient({ credentials: mufasa, preferAuthInt: true });
    expect(preferring.answer({ ...get, body, wwwAuthenticate: both })[0]?.qop).toBe('auth-int');
  });

  it('counts nc up per nonce and starts again at 1 for a new nonce', () => {
    const client = createDigestClient({ credentials: mufasa });
    const first = client.answer({
      ...get,
      wwwAuthenticate: [digest({ realm: 'r', nonce: 'n1', qop: 'auth' })],
    });
    expect(first.map((a) => a.params['nc'])).toEqual(['00000001']);
    expect(client.authorize(get).map((a) => a.params['nc'])).toEqual(['00000002']);
    expect(client.authorize(get).map((a) => a.params['nc'])).toEqual(['00000003']);
    const again = client.answer({
      ...get,
      wwwAuthenticate: [digest({ realm: 'r', nonce: 'n1', qop: 'auth' })],
    });
    expect(again[0]?.nc).toBe(4);
    const fresh = client.answer({
      ...get,
      wwwAuthenticate: [digest({ realm: 'r', nonce: 'n2', qop: 'auth' })],
    });
    expect(fresh[0]?.params['nc']).toBe('00000001');
    expect(fresh[0]?.params['nonce']).toBe('n2');
    const cnonces = new Set([...first, ...again, ...fresh].map((a) => a.params['cnonce']));
    expect(cnonces.size).toBe(3);
  });

  it('retries a stale challenge without asking again, and reports credentials refused otherwise', () => {
    const client = createDigestClient({ credentials: mufasa });
    const previous = client.answer({
      ...get,
      wwwAuthenticate: [digest({ realm: 'r', nonce: 'n1', qop: 'auth' })],
    });
    const retried = client.answer({
      ...get,
      previous,
      wwwAuthenticate: [digest({ realm: 'r', nonce: 'n2', qop: 'auth', stale: 'TRUE' })],
    });
    expect(retried.map((a) => [a.params['nonce'], a.params['nc']])).toEqual([['n2', '00000001']]);
    const error = expectDigestError(
      () =>
        client.answer({
          ...get,
          previous: retried,
          wwwAuthenticate: [digest({ realm: 'r', nonce: 'n3', qop: 'auth' })],
        }),
      'DIGEST_CREDENTIALS_REJECTED',
    );
    expect(error.realm).toBe('r');
    expect(error.retryable).toBe(false);
    // The refusal left the held nonce alone.
    expect(client.authorize(get).map((a) => a.params['nonce'])).toEqual(['n2']);
  });

  it('retries once, without stale, when the refused answer reused a held nonce', () => {
    const client = createDigestClient({ credentials: mufasa });
    const fresh = client.answer({
      ...get,
      wwwAuthenticate: [digest({ realm: 'r', nonce: 'n1', qop: 'auth' })],
    });
    expect(fresh[0]?.reusedNonce).toBe(false);
    const reused = client.authorize(get);
    expect(reused[0]?.reusedNonce).toBe(true);
    // An expired nonce refused by a server that does not say stale=true.
    const retried = client.answer({
      ...get,
      previous: reused,
      wwwAuthenticate: [digest({ realm: 'r', nonce: 'n2', qop: 'auth' })],
    });
    expect(retried.map((a) => [a.params['nonce'], a.nc, a.reusedNonce])).toEqual([
      ['n2', 1, false],
    ]);
    expectDigestError(
      () =>
        client.answer({
          ...get,
          previous: retried,
          wwwAuthenticate: [digest({ realm: 'r', nonce: 'n3', qop: 'auth' })],
        }),
      'DIGEST_CREDENTIALS_REJECTED',
    );
  });

  it('carries the proxy credentials forward when the registrar then challenges', () => {
    const client = createDigestClient({ credentials: mufasa });
    const proxied = client.answer({
      ...get,
      proxyAuthenticate: [digest({ realm: 'p', nonce: 'np', qop: 'auth' })],
    });
    const both = client.answer({
      ...get,
      previous: proxied,
      wwwAuthenticate: [digest({ realm: 'a', nonce: 'na', qop: 'auth' })],
    });
    expect(both.map((a) => [a.header, a.realm, a.nc])).toEqual([
      ['Authorization', 'a', 1],
      ['Proxy-Authorization', 'p', 2],
    ]);
  });

  it('hashes the username when the challenge asks for userhash', () => {
    const client = createDigestClient({ credentials: mufasa });
    const [answer] = client.answer({
      ...get,
      wwwAuthenticate: [
        digest({ realm: 'r', nonce: 'n', qop: 'auth', algorithm: 'SHA-256', userhash: 'true' }),
      ],
    });
    expect(answer?.params['username']).toBe(computeUserhash('SHA-256', 'Mufasa', 'r'));
    expect(answer?.value).toMatch(/, userhash=true$/);
  });

  it('answers from stored HA1 only with a hash it has, and only for its realm', () => {
    const ha1 = { MD5: computeHa1('MD5', 'Mufasa', 'r', 'Circle of Life') };
    const client = createDigestClient({ credentials: { username: 'Mufasa', realm: 'r', ha1 } });
    const both = [
      digest({ realm: 'r', nonce: 'n', qop: 'auth', algorithm: 'SHA-256' }),
      digest({ realm: 'r', nonce: 'n', qop: 'auth', algorithm: 'MD5' }),
    ];
    const withPassword = createDigestClient({
      credentials: mufasa,
      algorithms: ['MD5'],
      cnonce: fixedCnonce('c'),
    });
    const fromHa1 = createDigestClient({
      credentials: { username: 'Mufasa', realm: 'r', ha1 },
      cnonce: fixedCnonce('c'),
    });
    expect(client.answer({ ...get, wwwAuthenticate: both }).map((a) => a.algorithm)).toEqual([
      'MD5',
    ]);
    expect(fromHa1.answer({ ...get, wwwAuthenticate: both })[0]?.value).toBe(
      withPassword.answer({ ...get, wwwAuthenticate: both })[0]?.value,
    );
    const other = [digest({ realm: 'elsewhere', nonce: 'n', qop: 'auth' })];
    expect(
      expectDigestError(
        () => client.answer({ ...get, wwwAuthenticate: other }),
        'DIGEST_NO_CREDENTIALS',
      ).realm,
    ).toBe('elsewhere');
  });

  it('prefers credentials bound to the challenged realm over ones for any realm', () => {
    const client = createDigestClient({
      credentials: [
        { username: 'anyone', password: 'x' },
        { username: 'bound', password: 'y', realm: 'r' },
      ],
    });
    const [answer] = client.answer({
      ...get,
      wwwAuthenticate: [digest({ realm: 'r', nonce: 'n', qop: 'auth' })],
    });
    expect(answer?.params['username']).toBe('bound');
  });

  it('refuses responses it cannot answer with typed errors', () => {
    const client = createDigestClient({ credentials: mufasa });
    expectDigestError(() => client.answer({ ...get }), 'DIGEST_NO_CHALLENGE');
    expectDigestError(
      () =>
        client.answer({ ...get, wwwAuthenticate: [{ scheme: 'Basic', params: { realm: 'r' } }] }),
      'DIGEST_NO_CHALLENGE',
    );
    const unknown = [digest({ realm: 'r', nonce: 'n', algorithm: 'SHA-1' })];
    expect(
      expectDigestError(
        () => client.answer({ ...get, wwwAuthenticate: unknown }),
        'DIGEST_UNSUPPORTED_ALGORITHM',
      ).algorithm,
    ).toBe('SHA-1');
    const unsupportedQop = [digest({ realm: 'r', nonce: 'n', qop: 'auth-conf' })];
    expectDigestError(
      () => client.answer({ ...get, wwwAuthenticate: unsupportedQop }),
      'DIGEST_UNSUPPORTED_QOP',
    );
    expectDigestError(
      () => client.answer({ ...get, wwwAuthenticate: [digest({ realm: 'r' })] }),
      'DIGEST_MALFORMED_CHALLENGE',
    );
    expectDigestError(
      () =>
        client.answer({
          ...get,
          wwwAuthenticate: [digest({ realm: 'r', nonce: 'n', algorithm: 'MD5-sess' })],
        }),
      'DIGEST_MALFORMED_CHALLENGE',
    );
    // The furthest-reaching reason wins: the qop problem of one challenge over the unknown algorithm of another.
    expectDigestError(
      () => client.answer({ ...get, wwwAuthenticate: [...unknown, ...unsupportedQop] }),
      'DIGEST_UNSUPPORTED_QOP',
    );
  });

  it('answers the realms it can and skips the ones it cannot', () => {
    const client = createDigestClient({ credentials: { ...mufasa, realm: 'mine' } });
    const answers = client.answer({
      ...get,
      wwwAuthenticate: [
        digest({ realm: 'theirs', nonce: 'n', qop: 'auth' }),
        digest({ realm: 'mine', nonce: 'n', qop: 'auth' }),
      ],
    });
    expect(answers.map((a) => a.realm)).toEqual(['mine']);
  });

  it('escapes quotes and backslashes, and refuses CR or LF in a value', () => {
    const client = createDigestClient({ credentials: { username: 'a"b\\c', password: 'p' } });
    const [answer] = client.answer({
      ...get,
      wwwAuthenticate: [digest({ realm: 'r', nonce: 'n', qop: 'auth' })],
    });
    expect(answer?.value).toContain('username="a\\"b\\\\c"');
    const injected = createDigestClient({
      credentials: { username: 'a\r\nX-Evil: 1', password: 'p' },
    });
    const error = expectDigestError(
      () =>
        injected.answer({
          ...get,
          wwwAuthenticate: [digest({ realm: 'r', nonce: 'n', qop: 'auth' })],
        }),
      'DIGEST_INVALID_VALUE',
    );
    expect(error.field).toBe('username');
  });

  it('forgets every held nonce on reset', () => {
    const client = createDigestClient({ credentials: mufasa });
    client.answer({ ...get, wwwAuthenticate: [digest({ realm: 'r', nonce: 'n', qop: 'auth' })] });
    expect(client.authorize(get)).toHaveLength(1);
    client.reset();
    expect(client.authorize(get)).toEqual([]);
  });

  it('holds at most maxRealms nonces, dropping the least recently used', () => {
    const client = createDigestClient({ credentials: mufasa, maxRealms: 2 });
    for (const realm of ['a', 'b', 'c']) {
      client.answer({ ...get, wwwAuthenticate: [digest({ realm, nonce: 'n', qop: 'auth' })] });
    }
    expect(client.authorize(get).map((a: DigestAnswer) => a.realm)).toEqual(['b', 'c']);
  });

  it('rejects bad options naming the key', () => {
    expect(
      expectDigestError(() => createDigestClient({ credentials: [] }), 'DIGEST_INVALID_OPTIONS')
        .field,
    ).toBe('credentials');
    expect(
      expectDigestError(
        () => createDigestClient({ credentials: mufasa, maxRealms: 0 }),
        'DIGEST_INVALID_OPTIONS',
      ).field,
    ).toBe('maxRealms');
  });

  it('never puts the password in an error', () => {
    const password = 'Sup3r-S3cret-Pa55';
    const client = createDigestClient({ credentials: { username: 'u\r\n', password, realm: 'r' } });
    const clean = createDigestClient({ credentials: { username: 'u', password, realm: 'r' } });
    const errors: unknown[] = [];
    const attempts: (() => unknown)[] = [
      () =>
        client.answer({
          ...get,
          wwwAuthenticate: [digest({ realm: 'r', nonce: 'n', qop: 'auth' })],
        }),
      () =>
        clean.answer({
          ...get,
          wwwAuthenticate: [digest({ realm: 'x', nonce: 'n', qop: 'auth' })],
        }),
      () =>
        clean.answer({
          ...get,
          wwwAuthenticate: [digest({ realm: 'r', nonce: 'n', algorithm: 'X' })],
        }),
      () =>
        clean.answer({
          ...get,
          wwwAuthenticate: [digest({ realm: 'r', nonce: 'n', qop: 'auth-int' })],
        }),
      () => clean.answer({ ...get }),
      () => {
        const previous = clean.answer({
          ...get,
          wwwAuthenticate: [digest({ realm: 'r', nonce: 'n', qop: 'auth' })],
        });
        return clean.answer({
          ...get,
          previous,
          wwwAuthenticate: [digest({ realm: 'r', nonce: 'm', qop: 'auth' })],
        });
      },
    ];
    for (const attempt of attempts) {
      try {
        attempt();
      } catch (err) {
        errors.push(err);
      }
    }
    expect(errors).toHaveLength(attempts.length);
    for (const err of errors) {
      const e = err as DigestError;
      const text = [
        e.message,
        e.stack,
        String(e),
        JSON.stringify(e),
        JSON.stringify({ ...e }),
      ].join('\n');
      expect(text).not.toContain(password);
    }
  });
});
