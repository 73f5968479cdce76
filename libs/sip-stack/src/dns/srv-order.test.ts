import { seededRandom } from '@sipwake/testkit';
import { orderSrvRecords } from './srv-order.js';
import type { SrvRecord } from './types.js';

function srv(priority: number, weight: number, name: string): SrvRecord {
  return { priority, weight, port: 5060, name };
}

/** How often each name comes first over `runs` orderings with a seeded random source. */
function firstPicks(
  records: readonly SrvRecord[],
  runs: number,
  seed: number,
): Map<string, number> {
  const random = seededRandom(seed);
  const counts = new Map<string, number>();
  for (let i = 0; i < runs; i++) {
    const first = orderSrvRecords(records, random)[0]!.name;
    counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  return counts;
}

describe('orderSrvRecords (RFC 2782)', () => {
  it('puts lower priorities first whatever the weights', () => {
    const ordered = orderSrvRecords(
      [srv(20, 100, 'c'), srv(10, 1, 'a'), srv(30, 0, 'd'), srv(10, 0, 'b')],
      seededRandom(1),
    );
    expect(ordered.map((r) => r.priority)).toEqual([10, 10, 20, 30]);
    expect(ordered.slice(2).map((r) => r.name)).toEqual(['c', 'd']);
  });

  it('draws within a priority in proportion to the weights', () => {
    const runs = 20_000;
    const counts = firstPicks([srv(1, 60, 'a'), srv(1, 30, 'b'), srv(1, 10, 'c')], runs, 42);
    // Expected shares: a 60/100, b 30/100, c 10/100 (the draw is over 0..sum inclusive).
    expect((counts.get('a') ?? 0) / runs).toBeCloseTo(0.6, 1);
    expect((counts.get('b') ?? 0) / runs).toBeCloseTo(0.3, 1);
    expect((counts.get('c') ?? 0) / runs).toBeCloseTo(0.1, 1);
  });

  it('gives a weight-0 record a small chance only while heavier ones remain', () => {
    const runs = 20_000;
    const counts = firstPicks([srv(1, 100, 'heavy'), srv(1, 0, 'zero')], runs, 7);
    const zeroShare = (counts.get('zero') ?? 0) / runs;
    // The draw is 0 with probability 1/101: only then does the zero-weight record win.
    expect(zeroShare).toBeGreaterThan(0);
    expect(zeroShare).toBeLessThan(0.03);
  });

  it('draws uniformly when every weight is 0', () => {
    const runs = 9_000;
    const counts = firstPicks([srv(1, 0, 'a'), srv(1, 0, 'b'), srv(1, 0, 'c')], runs, 99);
    for (const name of ['a', 'b', 'c'])
      expect((counts.get(name) ?? 0) / runs).toBeCloseTo(1 / 3, 1);
  });

  it('returns every usable record exactly once', () => {
    const records = [srv(1, 5, 'a'), srv(1, 0, 'b'), srv(1, 10, 'c'), srv(2, 3, 'd')];
    const random = seededRandom(3);
    for (let i = 0; i < 100; i++) {
      expect(
        orderSrvRecords(records, random)
          .map((r) => r.name)
          .sort(),
      ).toEqual(['a', 'b', 'c', 'd']);
    }
  });

  it('is repeatable with the same seed', () => {
    const records = [srv(1, 5, 'a'), srv(1, 7, 'b'), srv(1, 10, 'c'), srv(1, 1, 'd')];
    const run = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 20 }, () =>
        orderSrvRecords(records, random)
          .map((r) => r.name)
          .join(''),
      );
    };
    expect(run(11)).toEqual(run(11));
    expect(new Set(run(11)).size).toBeGreaterThan(1);
  });

  it('leaves out "." targets (service not available)', () => {
    expect(
      orderSrvRecords([srv(0, 0, '.'), srv(1, 0, ''), srv(2, 0, 'x')], seededRandom(1)),
    ).toEqual([srv(2, 0, 'x')]);
  });
});
