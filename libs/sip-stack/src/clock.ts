// Time as an injected dependency: the transaction and transport state machines take a Clock,
// so their timers are tested by advancing a manual clock instead of sleeping.

export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

/** The real clock: performance.now() and Node timers (unref'd: a pending timer never keeps a process alive). */
export function systemClock(): Clock {
  const timers = new Map<number, NodeJS.Timeout>();
  let nextId = 1;
  return {
    now: () => performance.now(),
    setTimeout(callback, delayMs) {
      const id = nextId++;
      const timer = setTimeout(() => {
        timers.delete(id);
        callback();
      }, delayMs);
      timer.unref();
      timers.set(id, timer);
      return { id };
    },
    clearTimeout(handle) {
      if (!handle) return;
      clearTimeout(timers.get(handle.id));
      timers.delete(handle.id);
    },
  };
}

export interface ManualClock extends Clock {
  /** Moves time forward, firing due timers in order (timers they set are fired too when due). */
  advance(ms: number): void;
  /** Timers not yet fired. */
  pending(): number;
}

/** A clock that moves only when told to: for state-machine tests. */
export function createManualClock(startMs = 0): ManualClock {
  let now = startMs;
  let nextId = 1;
  const timers = new Map<number, { at: number; seq: number; callback: () => void }>();
  return {
    now: () => now,
    setTimeout(callback, delayMs) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, delayMs), seq: id, callback });
      return { id };
    },
    clearTimeout(handle) {
      if (handle) timers.delete(handle.id);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        let dueId: number | undefined;
        let due: { at: number; seq: number; callback: () => void } | undefined;
        for (const [id, t] of timers) {
          if (t.at <= until && (!due || t.at < due.at || (t.at === due.at && t.seq < due.seq))) {
            due = t;
            dueId = id;
          }
        }
        if (!due || dueId === undefined) break;
        timers.delete(dueId);
        now = due.at;
        due.callback();
      }
      now = until;
    },
    pending: () => timers.size,
  };
}
