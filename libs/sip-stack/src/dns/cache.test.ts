import { createManualClock } from '../clock.js';
import { createFakeResolver } from '../test-support/fake-dns-resolver.js';
import { createCachingResolver } from './cache.js';
import { DnsError } from './errors.js';
import { createServerLocator } from './locator.js';
import type { DnsResolver, SrvRecord } from './types.js';

const zone = {
  'a.example.com': {
    A: [
      { address: '192.0.2.1', ttl: 60 },
      { address: '192.0.2.2', ttl: 30 },
    ],
  },
  'zero.example.com': { A: [{ address: '192.0.2.3', ttl: 0 }] },
  'long.example.com': { A: [{ address: '192.0.2.4', ttl: 86_400 }] },
  '_sip._udp.example.com': { SRV: [{ priority: 1, weight: 0, port: 5060, name: 'a.example.com' }] },
  'bad.example.com': { fail: { A: 'DNS_SERVER_FAILURE' as const } },
};

function setup(options: { maxEntries?: number } = {}) {
  const clock = createManualClock(1_000);
  const upstream = createFakeResolver(zone);
  const cache = createCachingResolver(upstream, { clock, ...options });
  return { clock, upstream, cache };
}

describe('createCachingResolver', () => {
  it('answers from the cache until the lowest TTL of the answer runs out', async () => {
    const { clock, upstream, cache } = setup();
    const first = await cache.resolve4('a.example.com');
    clock.advance(29_999);
    expect(await cache.resolve4('A.EXAMPLE.COM')).toBe(first);
    expect(upstream.questions).toEqual(['A a.example.com']);
    clock.advance(1);
    await cache.resolve4('a.example.com');
    expect(upstream.questions).toEqual(['A a.example.com', 'A a.example.com']);
  });

  it('keeps records without a TTL for unknownTtlSeconds', async () => {
    const clock = createManualClock();
    const records: SrvRecord[] = [{ priority: 1, weight: 0, port: 5060, name: 'x' }];
    const resolveSrv = jest.fn(async () => records);
    const upstream: DnsResolver = {
      resolveSrv,
      resolveNaptr: jest.fn(),
      resolve4: jest.fn(),
      resolve6: jest.fn(),
    };
    const cache = createCachingResolver(upstream, { clock, unknownTtlSeconds: 10 });
    await cache.resolveSrv('_sip._udp.x');
    clock.advance(9_999);
    await cache.resolveSrv('_sip._udp.x');
    expect(resolveSrv).toHaveBeenCalledTimes(1);
    clock.advance(1);
    await cache.resolveSrv('_sip._udp.x');
    expect(resolveSrv).toHaveBeenCalledTimes(2);
  });

  it('keeps an empty answer for negativeTtlSeconds', async () => {
    const clock = createManualClock();
    const upstream = createFakeResolver({});
    const cache = createCachingResolver(upstream, { clock, negativeTtlSeconds: 5 });
    expect(await cache.resolveNaptr('nowhere.example')).toEqual([]);
    clock.advance(4_999);
    await cache.resolveNaptr('nowhere.example');
    expect(upstream.questions).toHaveLength(1);
    clock.advance(1);
    await cache.resolveNaptr('nowhere.example');
    expect(upstream.questions).toHaveLength(2);
  });

  it('never keeps a TTL-0 answer and caps long TTLs at maxTtlSeconds', async () => {
    const clock = createManualClock();
    const upstream = createFakeResolver(zone);
    const cache = createCachingResolver(upstream, { clock, maxTtlSeconds: 100 });
    await cache.resolve4('zero.example.com');
    await cache.resolve4('zero.example.com');
    expect(upstream.questions).toEqual(['A zero.example.com', 'A zero.example.com']);
    await cache.resolve4('long.example.com');
    clock.advance(100_000);
    await cache.resolve4('long.example.com');
    expect(upstream.questions.filter((q) => q === 'A long.example.com')).toHaveLength(2);
  });

  it('does not keep failures', async () => {
    const { upstream, cache } = setup();
    await expect(cache.resolve4('bad.example.com')).rejects.toBeInstanceOf(DnsError);
    await expect(cache.resolve4('bad.example.com')).rejects.toBeInstanceOf(DnsError);
    expect(upstream.questions).toEqual(['A bad.example.com', 'A bad.example.com']);
    expect(cache.size()).toBe(0);
  });

  it('asks once for many concurrent questions about one name', async () => {
    const { upstream, cache } = setup();
    const answers = await Promise.all(
      Array.from({ length: 1000 }, () => cache.resolveSrv('_sip._udp.example.com')),
    );
    expect(new Set(answers).size).toBe(1);
    expect(upstream.questions).toEqual(['SRV _sip._udp.example.com']);
  });

  it('keeps record types apart', async () => {
    const { upstream, cache } = setup();
    await cache.resolve4('a.example.com');
    await cache.resolve6('a.example.com');
    expect(upstream.questions).toEqual(['A a.example.com', 'AAAA a.example.com']);
  });

  it('holds at most maxEntries answers, dropping the least recently used', async () => {
    const { upstream, cache } = setup({ maxEntries: 2 });
    await cache.resolve4('a.example.com'); // [a]
    await cache.resolve4('long.example.com'); // [a, long]
    await cache.resolve4('a.example.com'); // hit: [long, a]
    await cache.resolveSrv('_sip._udp.example.com'); // [a, srv], long dropped
    expect(cache.size()).toBe(2);
    await cache.resolve4('a.example.com');
    await cache.resolve4('long.example.com');
    expect(upstream.questions).toEqual([
      'A a.example.com',
      'A long.example.com',
      'SRV _sip._udp.example.com',
      'A long.example.com',
    ]);
  });

  it('forgets everything on clear()', async () => {
    const { upstream, cache } = setup();
    await cache.resolve4('a.example.com');
    cache.clear();
    expect(cache.size()).toBe(0);
    await cache.resolve4('a.example.com');
    expect(upstream.questions).toHaveLength(2);
  });
});

describe('a locator over the cache', () => {
  it('locates one domain for a thousand accounts with one query per record', async () => {
    const { clock, upstream, cache } = setup();
    const locator = createServerLocator({ resolver: cache, transports: ['udp'], families: [4] });
    const uri = { scheme: 'sip', host: 'example.com', port: undefined, params: {} } as const;
    const all = await Promise.all(Array.from({ length: 1000 }, () => locator.resolve(uri)));
    expect(all.every((targets) => targets[0]?.address === '192.0.2.1')).toBe(true);
    expect(upstream.questions).toEqual([
      'NAPTR example.com',
      'SRV _sip._udp.example.com',
      'A a.example.com',
    ]);
    // 30 s on: the A answer (TTL 30) and the empty NAPTR answer (negative TTL 30) are over;
    // the SRV answer came without a TTL and is kept for unknownTtlSeconds (60).
    clock.advance(30_000);
    await locator.resolve(uri);
    expect(upstream.questions.slice(3)).toEqual(['NAPTR example.com', 'A a.example.com']);
  });
});
