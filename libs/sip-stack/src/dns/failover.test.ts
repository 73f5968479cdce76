import { createFakeResolver } from '../test-support/fake-dns-resolver.js';
import { LocateError } from './errors.js';
import { createTargetIterator, isServiceUnavailable, tryTargets } from './failover.js';
import { createServerLocator } from './locator.js';
import type { Target } from './types.js';

function target(address: string, port = 5060): Target {
  return { protocol: 'udp', address, port, serverName: 'example.com' };
}

const A = target('192.0.2.1');
const B = target('192.0.2.2');
const C = target('192.0.2.3');

class TransportFailure extends Error {
  readonly code = 'CONNECTION_REFUSED';
}

describe('createTargetIterator', () => {
  it('hands out targets in order, each once, then undefined', async () => {
    const it = createTargetIterator([A, B, A, C]);
    expect(await it.next()).toBe(A);
    expect(await it.next()).toBe(B);
    expect(await it.next()).toBe(C);
    expect(await it.next()).toBeUndefined();
    expect(await it.next()).toBeUndefined();
    expect(it.tried).toEqual([A, B, C]);
  });

  it('keeps its own place: two iterators over one list do not share state', async () => {
    const list = [A, B];
    const first = createTargetIterator(list);
    await first.next();
    const second = createTargetIterator(list);
    expect(await second.next()).toBe(A);
    expect(await first.next()).toBe(B);
  });

  it('serializes overlapping next() calls', async () => {
    const it = createTargetIterator([A, B, C]);
    expect(await Promise.all([it.next(), it.next(), it.next(), it.next()])).toEqual([
      A,
      B,
      C,
      undefined,
    ]);
  });

  it('walks the lazy list of a locator', async () => {
    const locator = createServerLocator({
      resolver: createFakeResolver({ 'example.com': { A: ['192.0.2.1', '192.0.2.2'] } }),
      transports: ['udp'],
      families: [4],
    });
    const it = createTargetIterator(
      locator.targets({ scheme: 'sip', host: 'example.com', port: 5060, params: {} }),
    );
    expect((await it.next())?.address).toBe('192.0.2.1');
    expect((await it.next())?.address).toBe('192.0.2.2');
    expect(await it.next()).toBeUndefined();
  });
});

describe('tryTargets (RFC 3263 §4.3)', () => {
  it('stops at the first target that works', async () => {
    const attempt = jest.fn(async () => ({ status: 200 }));
    const result = await tryTargets([A, B], attempt);
    expect(result).toEqual({ outcome: { status: 200 }, target: A, failures: [] });
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('moves on after a transport error and after a 503, in list order', async () => {
    const seen: string[] = [];
    const result = await tryTargets([A, B, C], async (t, index) => {
      seen.push(`${index}:${t.address}`);
      if (t === A) throw new TransportFailure('refused');
      if (t === B) return { status: 503 };
      return { status: 200 };
    });
    expect(seen).toEqual(['0:192.0.2.1', '1:192.0.2.2', '2:192.0.2.3']);
    expect(result.target).toBe(C);
    expect(result.failures).toHaveLength(2);
    expect(result.failures[0]).toMatchObject({ target: A, error: expect.any(TransportFailure) });
    expect(result.failures[1]).toEqual({ target: B, outcome: { status: 503 } });
  });

  it('does not move on after another final response (a 4xx is an answer)', async () => {
    const attempt = jest.fn(async () => ({ status: 403 }));
    const result = await tryTargets([A, B], attempt);
    expect(result.outcome).toEqual({ status: 403 });
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('rejects with LOCATE_TARGETS_EXHAUSTED listing every failure when all fail', async () => {
    const last = new TransportFailure('timeout');
    const error = await tryTargets([A, B], async (t) => {
      if (t === A) return { status: 503 };
      throw last;
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocateError);
    expect(error).toMatchObject({ code: 'LOCATE_TARGETS_EXHAUSTED', retryable: true, cause: last });
    expect((error as LocateError).failures.map((f) => f.target)).toEqual([A, B]);
    expect((error as LocateError).failures[0]!.outcome).toEqual({ status: 503 });
  });

  it('rejects with LOCATE_NO_TARGETS for an empty list', async () => {
    await expect(tryTargets([], async () => ({ status: 200 }))).rejects.toMatchObject({
      code: 'LOCATE_NO_TARGETS',
    });
  });

  it('rethrows at once an error that is not a failover reason', async () => {
    const attempt = jest.fn(async () => {
      throw new TypeError('bug');
    });
    await expect(
      tryTargets([A, B], attempt, { shouldFailOver: (e) => e instanceof TransportFailure }),
    ).rejects.toBeInstanceOf(TypeError);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('uses the given failure test and attempt limit', async () => {
    const attempt = jest.fn(async () => 'busy');
    const error = await tryTargets([A, B, C], attempt, {
      isFailure: (o) => o === 'busy',
      maxAttempts: 2,
    }).catch((e: unknown) => e);
    expect(attempt).toHaveBeenCalledTimes(2);
    expect((error as LocateError).failures).toHaveLength(2);
  });

  it('passes the DNS error through when the lazy list fails before any target', async () => {
    const locator = createServerLocator({
      resolver: createFakeResolver({
        'down.org': { fail: { A: 'DNS_SERVER_FAILURE', AAAA: 'DNS_SERVER_FAILURE' } },
      }),
      transports: ['udp'],
    });
    await expect(
      tryTargets(
        locator.targets({ scheme: 'sip', host: 'down.org', port: 5060, params: {} }),
        async () => 'ok',
      ),
    ).rejects.toMatchObject({ name: 'DnsError', code: 'DNS_SERVER_FAILURE' });
  });

  it('fails over through a located list: first SRV target refuses, the second answers', async () => {
    const locator = createServerLocator({
      resolver: createFakeResolver({
        '_sip._tcp.example.com': {
          SRV: [
            { priority: 1, weight: 0, port: 5060, name: 'one.example.com' },
            { priority: 2, weight: 0, port: 5062, name: 'two.example.com' },
          ],
        },
        'one.example.com': { A: ['192.0.2.1'] },
        'two.example.com': { A: ['192.0.2.2'] },
      }),
      transports: ['tcp'],
      families: [4],
    });
    const uri = {
      scheme: 'sip',
      host: 'example.com',
      port: undefined,
      params: { transport: 'tcp' },
    } as const;
    const result = await tryTargets(locator.targets(uri), async (t) => {
      if (t.address === '192.0.2.1') throw new TransportFailure('refused');
      return { status: 200 };
    });
    expect(result.target).toEqual({
      protocol: 'tcp',
      address: '192.0.2.2',
      port: 5062,
      serverName: 'example.com',
    });
  });
});

describe('isServiceUnavailable', () => {
  it.each([
    [{ status: 503 }, true],
    [{ status: 500 }, false],
    [503, false],
    [null, false],
    [undefined, false],
  ])('%p → %p', (outcome, expected) => {
    expect(isServiceUnavailable(outcome)).toBe(expected);
  });
});
