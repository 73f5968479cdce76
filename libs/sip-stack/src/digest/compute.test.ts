import { createHash } from 'node:crypto';
import { algorithmInfo, digestHash, lookupAlgorithm } from './algorithm.js';
import {
  computeHa1,
  computeResponse,
  computeRspauth,
  computeUserhash,
  formatNonceCount,
} from './compute.js';

describe('digest computations against the RFC vectors', () => {
  it('reproduces RFC 2617 §3.5 (MD5, qop=auth, "Circle Of Life")', () => {
    const md5 = algorithmInfo('MD5');
    const ha1 = computeHa1('MD5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life');
    const response = computeResponse({
      algorithm: md5,
      ha1,
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      nc: '00000001',
      cnonce: '0a4f113b',
      qop: 'auth',
      method: 'GET',
      uri: '/dir/index.html',
    });
    expect(response).toBe('6629fae49393a05397450978507c4ef1');
  });

  // RFC 7616 §3.9.1: the same request answered with SHA-256 and with MD5 (note "Circle of Life",
  // lower-case "of", unlike RFC 2617's example).
  const rfc7616 = {
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    qop: 'auth',
    method: 'GET',
    uri: '/dir/index.html',
  } as const;

  it.each([
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
  ] as const)('reproduces RFC 7616 §3.9.1 with %s', (name, expected) => {
    const algorithm = algorithmInfo(name);
    const ha1 = computeHa1(algorithm.hash, 'Mufasa', 'http-auth@example.org', 'Circle of Life');
    expect(computeResponse({ algorithm, ha1, ...rfc7616 })).toBe(expected);
  });

  // RFC 7616 §3.9.2 (SHA-512-256, userhash, UTF-8 username). The RFC prints userhash 4888…54ec and
  // response ae66…79dd, but those are SHA-512 truncated to 256 bits, not SHA-512/256 (FIPS 180-4,
  // own initial values): RFC errata 4897. The right values are pinned here, the erratum below.
  const jason = 'J\u00e4s\u00f8n Doe';
  const rfc7616sha512 = {
    nonce: '5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK',
    nc: '00000001',
    cnonce: 'NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v',
    qop: 'auth',
    method: 'GET',
    uri: '/doe.json',
  } as const;

  it('computes SHA-512-256 (RFC 7616 §3.9.2 inputs, corrected values) and its userhash', () => {
    const algorithm = algorithmInfo('SHA-512-256');
    expect(Buffer.from(jason, 'utf8').toString('hex')).toBe('4ac3a473c3b86e20446f65');
    expect(computeUserhash('SHA-512-256', jason, 'api@example.org')).toBe(
      '793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b',
    );
    const ha1 = computeHa1('SHA-512-256', jason, 'api@example.org', 'Secret, or not?');
    expect(computeResponse({ algorithm, ha1, ...rfc7616sha512 })).toBe(
      '3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5',
    );
  });

  it('shows the RFC 7616 §3.9.2 printed values come from truncated SHA-512, which we do not use', () => {
    const truncated = (s: string) => createHash('sha512').update(s).digest('hex').slice(0, 64);
    expect(truncated(`${jason}:api@example.org`)).toBe(
      '488869477bf257147b804c45308cd62ac4e25eb717b12b298c79e62dcea254ec',
    );
    const ha1 = truncated(`${jason}:api@example.org:Secret, or not?`);
    const ha2 = truncated('GET:/doe.json');
    const { nonce, nc, cnonce } = rfc7616sha512;
    expect(truncated(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`)).toBe(
      'ae66e67d6b427bd3f120414a82e4acff38e8ecd9101d6c861229025f607a79dd',
    );
    expect(digestHash('SHA-512-256', 'x')).not.toBe(truncated('x'));
  });

  it('computes the RFC 2069 form when there is no qop', () => {
    const md5 = algorithmInfo('MD5');
    const ha1 = computeHa1('MD5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life');
    const nonce = 'dcd98b7102dd2f0e8b11d0f600bfb0c093';
    const ha2 = digestHash('MD5', 'GET:/dir/index.html');
    // RFC 2617 §3.2.2.1: request-digest = KD(H(A1), unq(nonce-value) ":" H(A2)).
    expect(
      computeResponse({ algorithm: md5, ha1, nonce, method: 'GET', uri: '/dir/index.html' }),
    ).toBe(digestHash('MD5', `${ha1}:${nonce}:${ha2}`));
  });

  it('folds nonce and cnonce into HA1 for a -sess algorithm', () => {
    const sess = algorithmInfo('SHA-256-sess');
    const ha1 = computeHa1('SHA-256', 'alice', 'sip.example', 'pw');
    const common = {
      ha1,
      nonce: 'n1',
      nc: '00000001',
      cnonce: 'c1',
      qop: 'auth',
      method: 'REGISTER',
      uri: 'sip:sip.example',
    } as const;
    const sessHa1 = digestHash('SHA-256', `${ha1}:n1:c1`);
    expect(computeResponse({ algorithm: sess, ...common })).toBe(
      computeResponse({ algorithm: algorithmInfo('SHA-256'), ...common, ha1: sessHa1 }),
    );
    expect(computeResponse({ algorithm: sess, ...common })).not.toBe(
      computeResponse({ algorithm: algorithmInfo('SHA-256'), ...common }),
    );
  });

  it('hashes the body into A2 for qop=auth-int, the empty body as the empty string', () => {
    const md5 = algorithmInfo('MD5');
    const base = {
      algorithm: md5,
      ha1: 'a'.repeat(32),
      nonce: 'n',
      nc: '00000001',
      cnonce: 'c',
      method: 'MESSAGE',
      uri: 'sip:bob@b.example',
    } as const;
    const body = Buffer.from('hello');
    const ha2 = digestHash('MD5', `MESSAGE:sip:bob@b.example:${digestHash('MD5', body)}`);
    expect(computeResponse({ ...base, qop: 'auth-int', body })).toBe(
      digestHash('MD5', `${'a'.repeat(32)}:n:00000001:c:auth-int:${ha2}`),
    );
    expect(computeResponse({ ...base, qop: 'auth-int' })).toBe(
      computeResponse({ ...base, qop: 'auth-int', body: Buffer.alloc(0) }),
    );
    expect(computeResponse({ ...base, qop: 'auth-int', body })).not.toBe(
      computeResponse({ ...base, qop: 'auth-int', body: Buffer.from('hellO') }),
    );
  });

  it('computes rspauth with an empty method (RFC 7616 §3.5)', () => {
    const input = {
      algorithm: algorithmInfo('SHA-256'),
      ha1: 'b'.repeat(64),
      nonce: 'n',
      nc: '00000002',
      cnonce: 'c',
      qop: 'auth',
      method: 'REGISTER',
      uri: 'sip:x',
    } as const;
    expect(computeRspauth(input)).toBe(computeResponse({ ...input, method: '' }));
    expect(computeRspauth(input)).not.toBe(computeResponse(input));
  });

  it('writes nc as 8 lower-case hex digits', () => {
    expect(formatNonceCount(1)).toBe('00000001');
    expect(formatNonceCount(255)).toBe('000000ff');
  });

  it('reads algorithm tokens case-insensitively, MD5 when absent, nothing for unknown ones', () => {
    expect(lookupAlgorithm(undefined)?.name).toBe('MD5');
    expect(lookupAlgorithm('sha-256')?.name).toBe('SHA-256');
    expect(lookupAlgorithm('SHA-512-256-SESS')?.name).toBe('SHA-512-256-sess');
    expect(lookupAlgorithm('SHA-1')).toBeUndefined();
    expect(lookupAlgorithm('AKAv1-MD5')).toBeUndefined();
  });
});
