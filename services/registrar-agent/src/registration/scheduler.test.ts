// The throttle when its timer fires late, as Node timers do while the event loop is busy: the
// slots that passed are used at once (the configured rate holds), no more than that, and one
// fire yields the loop after a few jobs.
import type { Clock, TimerHandle } from '@sipwake/sip-stack';
import { createScheduler } from './scheduler.js';

/** A clock whose timer fires only when the test says so, at whatever time the test set. */
function lateClock() {
  let now = 0;
  let pending: (() => void) | undefined;
  const clock: Clock = {
    now: () => now,
    setTimeout: (callback) => {
      pending = callback;
      return 1 as unknown as TimerHandle;
    },
    clearTimeout: () => {
      pending = undefined;
    },
  };
  return {
    clock,
    fireAt(ms: number) {
      now = ms;
      const callback = pending;
      pending = undefined;
      callback?.();
    },
  };
}

describe('scheduler', () => {
  it('uses every slot that passed when its timer fires late', () => {
    const { clock, fireAt } = lateClock();
    const ran: string[] = [];
    const scheduler = createScheduler({ clock, perSecond: 1000, run: (s) => ran.push(s) });
    for (let i = 0; i < 20; i += 1) scheduler.schedule(`s${i}`, 0);
    fireAt(0);
    expect(ran).toHaveLength(1);
    // Due at 1 ms, fired at 5.5 ms: the slots at 1, 2, 3, 4 and 5 ms passed.
    fireAt(5.5);
    expect(ran).toHaveLength(6);
    fireAt(6);
    expect(ran).toEqual(Array.from({ length: 7 }, (_, i) => `s${i}`));
    scheduler.stop();
  });

  it('saves up no slots while nothing is due', () => {
    const { clock, fireAt } = lateClock();
    const ran: string[] = [];
    const scheduler = createScheduler({ clock, perSecond: 1000, run: (s) => ran.push(s) });
    for (let i = 0; i < 5; i += 1) scheduler.schedule(`s${i}`, 100);
    fireAt(100);
    expect(ran).toEqual(['s0']);
    scheduler.stop();
  });

  it('yields the event loop after 8 jobs in one fire, so that answers are read between', () => {
    const { clock, fireAt } = lateClock();
    const ran: string[] = [];
    const scheduler = createScheduler({ clock, perSecond: 100_000, run: (s) => ran.push(s) });
    for (let i = 0; i < 200; i += 1) scheduler.schedule(`s${i}`, 0);
    fireAt(10);
    expect(ran).toHaveLength(8);
    fireAt(10);
    expect(ran).toHaveLength(16);
    expect(scheduler.size()).toBe(184);
    scheduler.stop();
  });
});
