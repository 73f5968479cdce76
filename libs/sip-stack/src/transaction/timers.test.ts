import { transactionTimers } from './timers.js';

describe('transaction timer values (RFC 3261 Table 4, RFC 6026)', () => {
  const timers = transactionTimers({ t1Ms: 100, t2Ms: 1000, t4Ms: 2000, tryingMs: 200 });

  it('doubles Timer A without a cap, Timers E and G up to T2', () => {
    const sequence = (next: (previous: number | undefined) => number, count: number): number[] => {
      const out: number[] = [];
      let previous: number | undefined;
      for (let i = 0; i < count; i++) out.push((previous = next(previous)));
      return out;
    };
    expect(sequence(timers.timerA, 6)).toEqual([100, 200, 400, 800, 1600, 3200]);
    expect(sequence(timers.timerE, 6)).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(sequence(timers.timerG, 6)).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(timers.timerEProceeding()).toBe(1000);
  });

  it('gives 64*T1 to B, F, H, L, M and the CANCEL wait', () => {
    for (const value of [
      timers.timerB(),
      timers.timerF(),
      timers.timerH(),
      timers.timerL(),
      timers.timerM(),
      timers.timerCancel(),
    ]) {
      expect(value).toBe(6400);
    }
  });

  it('zeroes D, I, J and K on reliable transports', () => {
    expect([timers.timerD(false), timers.timerD(true)]).toEqual([32_000, 0]);
    expect([timers.timerI(false), timers.timerI(true)]).toEqual([2000, 0]);
    expect([timers.timerJ(false), timers.timerJ(true)]).toEqual([6400, 0]);
    expect([timers.timerK(false), timers.timerK(true)]).toEqual([2000, 0]);
    expect(timers.timerTrying()).toBe(200);
  });
});
