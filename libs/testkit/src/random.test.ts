import { seededRandom } from './random.js';

describe('seededRandom', () => {
  it('gives the same draws for the same seed, in [0, 1)', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const draws = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(draws);
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(draws).size).toBeGreaterThan(990);
  });

  it('draws mulberry32’s sequence (seed 1)', () => {
    const random = seededRandom(1);
    expect([random(), random(), random()]).toEqual([
      0.6270739405881613, 0.002735721180215478, 0.5274470399599522,
    ]);
  });

  it('gives another sequence for another seed', () => {
    expect(seededRandom(1)()).not.toBe(seededRandom(2)());
  });
});
