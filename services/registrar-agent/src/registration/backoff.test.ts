// Back-off with jitter: doubling from the minimum to the maximum, each wait between half of the
// ceiling and all of it, whatever random() gives.
import { backoffMs } from './backoff.js';

const bounds = { minMs: 5_000, maxMs: 600_000 };

describe('backoffMs', () => {
  it.each([
    [1, 5_000],
    [2, 10_000],
    [3, 20_000],
    [7, 320_000],
    [8, 600_000],
    [1_000, 600_000],
  ])('after %i failures stays between half of %i ms and all of it', (failures, ceiling) => {
    for (const r of [0, 0.25, 0.5, 0.999_999]) {
      const wait = backoffMs(failures, { ...bounds, random: () => r });
      expect(wait).toBeGreaterThanOrEqual(ceiling / 2);
      expect(wait).toBeLessThanOrEqual(ceiling);
    }
    expect(backoffMs(failures, { ...bounds, random: () => 0 })).toBe(ceiling / 2);
    expect(backoffMs(failures, { ...bounds, random: () => 0.999_999 })).toBe(ceiling);
  });

  it('treats zero or negative failures as the first', () => {
    expect(backoffMs(0, { ...bounds, random: () => 0 })).toBe(2_500);
    expect(backoffMs(-3, { ...bounds, random: () => 0 })).toBe(2_500);
  });

  it('spreads waits over the whole jitter range with the default random', () => {
    const waits = [...Array(2_000).keys()].map(() => backoffMs(3, bounds));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(10_000);
    expect(Math.max(...waits)).toBeLessThanOrEqual(20_000);
    // 2,000 draws: both quarters of the range are reached (fails with odds below 1e-100).
    expect(waits.some((w) => w < 12_500)).toBe(true);
    expect(waits.some((w) => w > 17_500)).toBe(true);
  });
});
