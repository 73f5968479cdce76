import type { AuthHeader } from '@sipwake/sip-parser';
import { createManualClock } from '../clock.js';
import { createDigestClient, type DigestAnswer } from './client.js';
import { computeHa1, computeResponse } from './compute.js';
import { algorithmInfo } from './algorithm.js';
import type { DigestSecret } from './credentials.js';
import { DigestError } from './errors.js';
import { createDigestServer, type DigestChallenge, type DigestVerifyResult } from './server.js';
import type { DigestServerOptions } from './server-options.js';

const realm = 'sip.example';
const password = 'Corr3ct-H0rse-Battery';
const users: Record<string, DigestSecret> = { alice: { password } };
const register = { method: 'REGISTER', uri: 'sip:sip.example' };

/** A challenge value as the parser would give it (values here have no escapes). */
function parseChallenge(value: string): AuthHeader {
  const params: Record<string, string> = {};
  for (const m of value.slice('Digest '.length).matchAll(/([\w*-]+)=(?:"([^"]*)"|([^,\s]+))/g)) {
    params[m[1]!.toLowerCase()] = m[2] ?? m[3]!;
  }
  return { scheme: 'Digest', params };
}
function without(params: Readonly<Record<string, string>>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([key]) => key !== name));
}
const challengesOf = (c: DigestChallenge) => c.values.map(parseChallenge);
const asHeaders = (answers: readonly DigestAnswer[]): AuthHeader[] =>
  answers.map((a) => ({ scheme: 'Digest', params: a.params }));

function setup(overrides: Partial<DigestServerOptions> = {}) {
  const clock = createManualClock(1_000_000);
  const server = createDigestServer({
    realm,
    secret: 'a server secret of enough bytes',
    clock,
    nonceLifetimeMs: 60_000,
    lookup: async (username) => users[username],
    ...overrides,
  });
  const client = createDigestClient({ credentials: { username: 'alice', password } });
  /** The client answers a fresh challenge of the server. */
  const answerFresh = (request = register) =>
    client.answer({ ...request, wwwAuthenticate: challengesOf(server.challenge()) });
  return { clock, server, client, answerFresh };
}

function expectFailure(
  result: DigestVerifyResult,
  reason: string,
  stale: boolean,
): DigestChallenge {
  if (result.ok) throw new Error(`expected ${reason}, got ok`);
  expect(result.reason).toBe(reason);
  const values = result.challenge.values;
  expect(values.every((v) => v.includes('stale=true') === stale)).toBe(true);
  return result.challenge;
}

describe('digest server', () => {
  it('challenges with one header per algorithm, preferred first, one nonce', () => {
    const { server } = setup();
    const challenge = server.challenge();
    expect(challenge.status).toBe(401);
    expect(challenge.header).toBe('WWW-Authenticate');
    const [sha, md5] = challenge.values;
    expect(sha).toMatch(
      /^Digest realm="sip\.example", nonce="[\w-]{48}", algorithm=SHA-256, qop="auth"$/,
    );
    expect(md5).toBe(sha!.replace('SHA-256', 'MD5'));
    expect(challenge.values).toHaveLength(2);
    expect(server.challenge().values[0]).not.toBe(sha);
    expect(server.challenge({ stale: true }).values[0]).toMatch(/, stale=true$/);
  });

  it('challenges as a proxy with 407 Proxy-Authenticate, and offers userhash when it can look it up', () => {
    const { server } = setup({
      proxy: true,
      lookupUserhash: async () => undefined,
      qop: ['auth', 'auth-int'],
    });
    const challenge = server.challenge();
    expect([challenge.status, challenge.header]).toEqual([407, 'Proxy-Authenticate']);
    expect(challenge.values[0]).toMatch(/qop="auth,auth-int", userhash=true$/);
  });

  it('accepts the right credentials and says who it was', async () => {
    const { server, answerFresh } = setup();
    const answers = answerFresh();
    expect(answers[0]?.algorithm).toBe('SHA-256');
    const result = await server.verify({ ...register, authorization: asHeaders(answers) });
    expect(result).toMatchObject({
      ok: true,
      username: 'alice',
      realm,
      algorithm: 'SHA-256',
      qop: 'auth',
    });
    if (result.ok)
      expect(result.authenticationInfo).toMatch(
        /^rspauth="[0-9a-f]{64}", qop=auth, nc=00000001, cnonce="/,
      );
  });

  it('asks for credentials when there are none for its realm', async () => {
    const { server, answerFresh } = setup();
    expectFailure(await server.verify({ ...register, authorization: [] }), 'missing', false);
    expectFailure(
      await server.verify({ ...register, authorization: [{ scheme: 'Basic', params: { realm } }] }),
      'missing',
      false,
    );
    const elsewhere = asHeaders(answerFresh()).map((h) => ({
      ...h,
      params: { ...h.params, realm: 'other' },
    }));
    expectFailure(await server.verify({ ...register, authorization: elsewhere }), 'missing', false);
  });

  it('refuses a wrong password and an unknown user without stale', async () => {
    const { server } = setup();
    const challenges = challengesOf(server.challenge());
    const wrong = createDigestClient({ credentials: { username: 'alice', password: 'guess' } });
    const bad = wrong.answer({ ...register, wwwAuthenticate: challenges });
    expectFailure(
      await server.verify({ ...register, authorization: asHeaders(bad) }),
      'bad-response',
      false,
    );
    const stranger = createDigestClient({ credentials: { username: 'mallory', password } });
    const unknown = stranger.answer({ ...register, wwwAuthenticate: challenges });
    expectFailure(
      await server.verify({ ...register, authorization: asHeaders(unknown) }),
      'unknown-user',
      false,
    );
  });

  it('refuses a forged nonce, and one minted by another server or for another realm', async () => {
    const { server, client } = setup();
    const own = parseChallenge(server.challenge().values[0]!);
    const nonce = own.params['nonce']!;
    const flipped = nonce.slice(0, 10) + (nonce[10] === 'A' ? 'B' : 'A') + nonce.slice(11);
    const other = createDigestServer({
      realm,
      secret: 'another secret, as long as ours',
      clock: createManualClock(),
      lookup: async () => undefined,
    });
    const otherRealm = createDigestServer({
      realm: 'b.example',
      secret: 'a server secret of enough bytes',
      clock: createManualClock(),
      lookup: async () => undefined,
    });
    const foreign = [
      flipped,
      'not-a-nonce',
      parseChallenge(other.challenge().values[0]!).params['nonce']!,
      parseChallenge(otherRealm.challenge().values[0]!).params['nonce']!,
    ];
    for (const forged of foreign) {
      const answers = client.answer({
        ...register,
        wwwAuthenticate: [{ ...own, params: { ...own.params, nonce: forged } }],
      });
      expectFailure(
        await server.verify({ ...register, authorization: asHeaders(answers) }),
        'bad-nonce',
        false,
      );
    }
  });

  it('expires nonces by the clock: stale=true, and the client retries without asking again', async () => {
    const { server, client, clock, answerFresh } = setup();
    const first = answerFresh();
    expect((await server.verify({ ...register, authorization: asHeaders(first) })).ok).toBe(true);
    clock.advance(60_000);
    const atLimit = client.authorize(register);
    expect((await server.verify({ ...register, authorization: asHeaders(atLimit) })).ok).toBe(true);
    clock.advance(1);
    const late = client.authorize(register);
    const challenge = expectFailure(
      await server.verify({ ...register, authorization: asHeaders(late) }),
      'stale',
      true,
    );
    const retried = client.answer({
      ...register,
      previous: late,
      wwwAuthenticate: challengesOf(challenge),
    });
    expect(retried[0]?.params['nc']).toBe('00000001');
    expect((await server.verify({ ...register, authorization: asHeaders(retried) })).ok).toBe(true);
  });

  it('does not call an expired nonce stale when the response is wrong', async () => {
    const { server, clock } = setup();
    const challenges = challengesOf(server.challenge());
    clock.advance(120_000);
    const wrong = createDigestClient({ credentials: { username: 'alice', password: 'guess' } });
    const answers = wrong.answer({ ...register, wwwAuthenticate: challenges });
    expectFailure(
      await server.verify({ ...register, authorization: asHeaders(answers) }),
      'bad-response',
      false,
    );
  });

  it('refuses an nc it has already seen (replay), accepts a higher one', async () => {
    const { server, client, answerFresh } = setup();
    const first = asHeaders(answerFresh());
    expect((await server.verify({ ...register, authorization: first })).ok).toBe(true);
    expectFailure(await server.verify({ ...register, authorization: first }), 'replay', true);
    const second = asHeaders(client.authorize(register));
    const third = asHeaders(client.authorize(register));
    expect((await server.verify({ ...register, authorization: third })).ok).toBe(true);
    expectFailure(await server.verify({ ...register, authorization: second }), 'replay', true);
  });

  it('lets only one of two racing requests with the same nc through', async () => {
    const { server, answerFresh } = setup();
    const authorization = asHeaders(answerFresh());
    const results = await Promise.all([
      server.verify({ ...register, authorization }),
      server.verify({ ...register, authorization }),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.reason)).sort()).toEqual(['ok', 'replay']);
  });

  it('uses an RFC 2069 nonce (no qop) once only', async () => {
    const { server, client } = setup({ qop: [] });
    const challenge = server.challenge();
    expect(challenge.values[0]).not.toContain('qop');
    const answers = client.answer({ ...register, wwwAuthenticate: challengesOf(challenge) });
    expect(answers[0]?.qop).toBeUndefined();
    const result = await server.verify({ ...register, authorization: asHeaders(answers) });
    expect(result).toMatchObject({ ok: true, qop: undefined, authenticationInfo: undefined });
    expectFailure(
      await server.verify({ ...register, authorization: asHeaders(answers) }),
      'replay',
      true,
    );
  });

  it('forgets the oldest nonces beyond its cap and refuses them as stale, not as replayable', async () => {
    const { server, client, clock } = setup({ maxTrackedNonces: 2 });
    const clients = [0, 1, 2].map(() =>
      createDigestClient({ credentials: { username: 'alice', password } }),
    );
    for (const c of clients) {
      clock.advance(1); // issue times order nonces to the millisecond
      const answers = c.answer({ ...register, wwwAuthenticate: challengesOf(server.challenge()) });
      expect((await server.verify({ ...register, authorization: asHeaders(answers) })).ok).toBe(
        true,
      );
    }
    // The first nonce was pushed out: its next use (or a replay of it) gets a stale challenge.
    expectFailure(
      await server.verify({
        ...register,
        authorization: asHeaders(clients[0]!.authorize(register)),
      }),
      'stale',
      true,
    );
    expect(
      (
        await server.verify({
          ...register,
          authorization: asHeaders(clients[2]!.authorize(register)),
        })
      ).ok,
    ).toBe(true);
    // A nonce issued after the forgotten one is still good.
    clock.advance(1);
    const later = client.answer({ ...register, wwwAuthenticate: challengesOf(server.challenge()) });
    expect((await server.verify({ ...register, authorization: asHeaders(later) })).ok).toBe(true);
  });

  it('refuses credentials for another Request-URI unless told not to check', async () => {
    const { server, answerFresh } = setup();
    const answers = asHeaders(answerFresh({ method: 'REGISTER', uri: 'sip:other.example' }));
    expectFailure(
      await server.verify({ ...register, authorization: answers }),
      'uri-mismatch',
      false,
    );
    const lax = setup({ checkUri: false });
    const laxAnswers = asHeaders(lax.answerFresh({ method: 'REGISTER', uri: 'sip:other.example' }));
    expect((await lax.server.verify({ ...register, authorization: laxAnswers })).ok).toBe(true);
  });

  it('refuses an algorithm or qop it did not offer, and malformed credentials', async () => {
    const { server, client } = setup({ algorithms: ['SHA-256'] });
    const [offered] = challengesOf(server.challenge());
    const asMd5 = client.answer({
      ...register,
      wwwAuthenticate: [{ ...offered!, params: { ...offered!.params, algorithm: 'MD5' } }],
    });
    expectFailure(
      await server.verify({ ...register, authorization: asHeaders(asMd5) }),
      'bad-algorithm',
      false,
    );
    const noQop = without(offered!.params, 'qop');
    const rfc2069 = client.answer({
      ...register,
      wwwAuthenticate: [{ ...offered!, params: noQop }],
    });
    expectFailure(
      await server.verify({ ...register, authorization: asHeaders(rfc2069) }),
      'bad-qop',
      false,
    );
    const good = asHeaders(client.answer({ ...register, wwwAuthenticate: [offered!] }))[0]!;
    const noResponse = without(good.params, 'response');
    const shapes: [Record<string, string>, string][] = [
      [noResponse, 'malformed'],
      [{ ...good.params, nc: 'zz' }, 'malformed'],
      [without(good.params, 'cnonce'), 'malformed'],
      [{ ...good.params, qop: 'auth-conf' }, 'bad-qop'],
    ];
    for (const [params, reason] of shapes) {
      const result = await server.verify({ ...register, authorization: [{ ...good, params }] });
      expect(result.ok ? 'ok' : result.reason).toBe(reason);
    }
  });

  it('verifies against a stored HA1, refusing a hash it has no HA1 for', async () => {
    const ha1 = { MD5: computeHa1('MD5', 'bob', realm, 'bobs-pass') };
    const { server } = setup({ lookup: async (u) => (u === 'bob' ? { ha1 } : undefined) });
    const bob = createDigestClient({ credentials: { username: 'bob', password: 'bobs-pass' } });
    const challenges = challengesOf(server.challenge());
    const sha = bob.answer({ ...register, wwwAuthenticate: challenges });
    expectFailure(
      await server.verify({ ...register, authorization: asHeaders(sha) }),
      'bad-algorithm',
      false,
    );
    const md5 = bob.answer({
      ...register,
      wwwAuthenticate: challenges.filter((c) => c.params['algorithm'] === 'MD5'),
    });
    expect(await server.verify({ ...register, authorization: asHeaders(md5) })).toMatchObject({
      ok: true,
      username: 'bob',
    });
  });

  it('accepts a hashed username through lookupUserhash', async () => {
    const { server, client } = setup({
      lookupUserhash: async (userhash, hash, r) => {
        const { computeUserhash } = await import('./compute.js');
        return userhash === computeUserhash(hash, 'alice', r)
          ? { username: 'alice', secret: { password } }
          : undefined;
      },
    });
    const answers = client.answer({
      ...register,
      wwwAuthenticate: challengesOf(server.challenge()),
    });
    expect(answers[0]?.params['userhash']).toBe('true');
    expect(answers[0]?.params['username']).not.toBe('alice');
    expect(await server.verify({ ...register, authorization: asHeaders(answers) })).toMatchObject({
      ok: true,
      username: 'alice',
    });
  });

  it('accepts an RFC 8187 username* (RFC 7616 §3.4.4)', async () => {
    const jason = 'J\u00e4s\u00f8n Doe';
    const { server } = setup({
      lookup: async (u) => (u === jason ? { password: 'Secret, or not?' } : undefined),
    });
    const nonce = parseChallenge(server.challenge().values[0]!).params['nonce']!;
    const input = {
      algorithm: algorithmInfo('SHA-256'),
      ha1: computeHa1('SHA-256', jason, realm, 'Secret, or not?'),
      nonce,
      nc: '00000001',
      cnonce: 'c0ffee',
      qop: 'auth',
      ...register,
    } as const;
    const params = {
      'username*': "UTF-8''J%C3%A4s%C3%B8n%20Doe",
      realm,
      uri: register.uri,
      algorithm: 'SHA-256',
      nonce,
      nc: '00000001',
      cnonce: 'c0ffee',
      qop: 'auth',
      response: computeResponse(input),
    };
    expect(
      await server.verify({ ...register, authorization: [{ scheme: 'Digest', params }] }),
    ).toMatchObject({ ok: true, username: jason });
    const both = { ...params, username: 'J' };
    expectFailure(
      await server.verify({ ...register, authorization: [{ scheme: 'Digest', params: both }] }),
      'malformed',
      false,
    );
  });

  it('turns a failing lookup into a retryable DigestError', async () => {
    const { server, answerFresh } = setup({
      lookup: async () => {
        throw new Error('database down');
      },
    });
    const failure = server.verify({ ...register, authorization: asHeaders(answerFresh()) });
    await expect(failure).rejects.toBeInstanceOf(DigestError);
    await expect(failure).rejects.toMatchObject({ code: 'DIGEST_LOOKUP_FAILED', retryable: true });
  });

  it('rejects bad options naming the key, never echoing the secret', () => {
    const base = {
      realm,
      secret: 'a server secret of enough bytes',
      clock: createManualClock(),
      lookup: async () => undefined,
    };
    const cases: [Partial<DigestServerOptions>, string][] = [
      [{ secret: 'short-secret' }, 'secret'],
      [{ realm: '' }, 'realm'],
      [{ realm: 'a\r\nb' }, 'realm'],
      [{ nonceLifetimeMs: 0 }, 'nonceLifetimeMs'],
      [{ maxTrackedNonces: 0 }, 'maxTrackedNonces'],
      [{ algorithms: [] }, 'algorithms'],
      [{ qop: [], algorithms: ['MD5-sess'] }, 'algorithms'],
    ];
    for (const [override, key] of cases) {
      let error: unknown;
      try {
        createDigestServer({ ...base, ...override });
      } catch (err) {
        error = err;
      }
      expect(error).toMatchObject({ code: 'DIGEST_INVALID_OPTIONS', field: key });
      expect((error as Error).message).not.toContain('short-secret');
    }
  });

  it('never puts the password in a result', async () => {
    const { server, client, answerFresh } = setup();
    const results: DigestVerifyResult[] = [];
    const good = asHeaders(answerFresh());
    results.push(await server.verify({ ...register, authorization: good }));
    results.push(await server.verify({ ...register, authorization: good }));
    results.push(await server.verify({ ...register, authorization: [] }));
    const wrong = createDigestClient({
      credentials: { username: 'alice', password: `${password}x` },
    });
    results.push(
      await server.verify({
        ...register,
        authorization: asHeaders(
          wrong.answer({ ...register, wwwAuthenticate: challengesOf(server.challenge()) }),
        ),
      }),
    );
    results.push(
      await server.verify({ ...register, authorization: asHeaders(client.authorize(register)) }),
    );
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual([
      'ok',
      'replay',
      'missing',
      'bad-response',
      'ok',
    ]);
    expect(JSON.stringify(results)).not.toContain(password);
  });
});
