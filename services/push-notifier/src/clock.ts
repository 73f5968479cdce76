// Time as a dependency: wall-clock milliseconds (provider tokens carry `iat` in epoch seconds)
// and timers, so token caching and back-off are tested by moving a manual clock.

export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

export function systemClock(): Clock {
  const timers = new Map<number, NodeJS.Timeout>();
  let nextId = 1;
  return {
    now: () => Date.now(),
    setTimeout(callback, delayMs) {
      const id = nextId++;
      const timer = setTimeout(() => {
        timers.delete(id);
        callback();
      }, delayMs);
      timers.set(id, timer);
      return { id };
    },
    clearTimeout(handle) {
      if (handle === undefined) return;
      clearTimeout(timers.get(handle.id));
      timers.delete(handle.id);
    },
  };
}
