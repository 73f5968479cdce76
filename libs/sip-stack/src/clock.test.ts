import { createManualClock } from './clock.js';

describe('manual clock', () => {
  it('fires due timers in time order, including timers set by a firing timer', () => {
    const clock = createManualClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 200);
    clock.setTimeout(() => {
      fired.push(`a@${clock.now()}`);
      clock.setTimeout(() => fired.push(`c@${clock.now()}`), 50);
    }, 100);
    clock.advance(160);
    expect(fired).toEqual(['a@100', 'c@150']);
    clock.advance(100);
    expect(fired).toEqual(['a@100', 'c@150', 'b@200']);
    expect(clock.now()).toBe(260);
  });

  it('does not fire a cleared timer', () => {
    const clock = createManualClock();
    let fired = false;
    const handle = clock.setTimeout(() => (fired = true), 10);
    clock.clearTimeout(handle);
    clock.advance(20);
    expect(fired).toBe(false);
    expect(clock.pending()).toBe(0);
  });
});
