// A clock that moves only when told to, for token caching and back-off tests.
import type { Clock, TimerHandle } from '../clock.js';

export interface ManualClock extends Clock {
  advance(ms: number): void;
  pending(): number;
}

export function createManualClock(startMs = Date.UTC(2026, 0, 1)): ManualClock {
  let now = startMs;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimeout(callback, delayMs): TimerHandle {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, delayMs), callback });
      return { id };
    },
    clearTimeout(handle) {
      if (handle !== undefined) timers.delete(handle.id);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...timers]
          .filter(([, t]) => t.at <= until)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (due === undefined) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].callback();
      }
      now = until;
    },
    pending: () => timers.size,
  };
}
