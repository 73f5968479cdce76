// The deadline heap on a manual clock: one armed timer however many keys, earliest first,
// replace and delete, and deadlines beyond what a Node timer holds.
import { createManualClock } from '@sipwake/sip-stack';
import { createDeadlines } from './deadlines.js';

describe('deadlines', () => {
  it('keeps one timer for 10,000 keys and fires them earliest first', () => {
    const clock = createManualClock(0);
    const fired: string[] = [];
    const deadlines = createDeadlines({ clock, onDue: (key) => fired.push(key) });
    for (let n = 0; n < 10_000; n++) deadlines.set(`k${n}`, 1000 + ((n * 7919) % 10_000));
    expect(clock.pending()).toBe(1);
    expect(deadlines.size()).toBe(10_000);
    clock.advance(1000 + 9_999);
    expect(fired).toHaveLength(10_000);
    const times = fired.map((k) => 1000 + ((Number(k.slice(1)) * 7919) % 10_000));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(deadlines.size()).toBe(0);
    expect(clock.pending()).toBe(0);
    deadlines.stop();
  });

  it('replaces a deadline when a key is set again, and forgets a deleted key', () => {
    const clock = createManualClock(0);
    const fired: [string, number][] = [];
    const deadlines = createDeadlines({ clock, onDue: (key) => fired.push([key, clock.now()]) });
    deadlines.set('a', 100);
    deadlines.set('b', 200);
    deadlines.set('a', 300);
    deadlines.set('c', 50);
    deadlines.delete('c');
    expect(deadlines.at('a')).toBe(300);
    clock.advance(1000);
    expect(fired).toEqual([
      ['b', 200],
      ['a', 300],
    ]);
    deadlines.stop();
  });

  it('hands at most maxPerFire keys to one timer callback and goes on at once', () => {
    const clock = createManualClock(0);
    const fired: string[] = [];
    const deadlines = createDeadlines({ clock, onDue: (k) => fired.push(k), maxPerFire: 2 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) deadlines.set(key, 10);
    clock.advance(10);
    expect(fired).toEqual(['a', 'b', 'c', 'd', 'e']);
    deadlines.stop();
  });

  it('waits out a deadline longer than a Node timer holds by re-arming', () => {
    const clock = createManualClock(0);
    const fired: number[] = [];
    const deadlines = createDeadlines({ clock, onDue: () => fired.push(clock.now()) });
    const far = 3 * 2 ** 31;
    deadlines.set('far', far);
    clock.advance(2 ** 31);
    expect(fired).toEqual([]);
    expect(clock.pending()).toBe(1);
    clock.advance(far);
    expect(fired).toEqual([far]);
    deadlines.stop();
  });

  it('clears its timer and every deadline at stop', () => {
    const clock = createManualClock(0);
    const fired: string[] = [];
    const deadlines = createDeadlines({ clock, onDue: (k) => fired.push(k) });
    deadlines.set('a', 10);
    deadlines.stop();
    deadlines.stop();
    expect(clock.pending()).toBe(0);
    deadlines.set('b', 20);
    clock.advance(100);
    expect(fired).toEqual([]);
  });
});
