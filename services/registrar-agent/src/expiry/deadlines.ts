// One timer for many deadlines: a min-heap of (key, time) with lazy deletion, so that 100k
// instances cost one armed timer, not 100k. Setting a key again replaces its deadline; the heap
// entries a replaced or deleted key left behind are skipped when they surface, and the heap is
// rebuilt when they outnumber the live ones.
import type { Clock, TimerHandle } from '@sipwake/sip-stack';

/** Node timers hold at most 2^31−1 ms; a later deadline re-arms when that runs out. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface DeadlinesOptions {
  readonly clock: Clock;
  /** Called for each key whose time came, earliest first; the key is no longer held then. */
  readonly onDue: (key: string) => void;
  /** Keys handed to `onDue` per timer callback at most; the rest follow at once (default 1000). */
  readonly maxPerFire?: number;
}

export interface Deadlines {
  /** Calls `onDue(key)` at `atMs` (monotonic) or later; replaces the key's earlier deadline. */
  set(key: string, atMs: number): void;
  delete(key: string): void;
  /** The key's deadline, or undefined. */
  at(key: string): number | undefined;
  size(): number;
  /** Clears the timer and every deadline. Idempotent. */
  stop(): void;
}

interface Entry {
  readonly key: string;
  readonly at: number;
  readonly seq: number;
}

export function createDeadlines(options: DeadlinesOptions): Deadlines {
  const { clock } = options;
  const maxPerFire = options.maxPerFire ?? 1000;
  const heap: Entry[] = [];
  const live = new Map<string, Entry>();
  let seq = 0;
  let timer: TimerHandle | undefined;
  let timerAt = Infinity;
  let stopped = false;

  const earlier = (a: Entry, b: Entry): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);
  const swap = (i: number, j: number): void => {
    [heap[i], heap[j]] = [heap[j]!, heap[i]!];
  };
  const up = (start: number): void => {
    for (let i = start; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!earlier(heap[i]!, heap[parent]!)) return;
      swap(i, parent);
      i = parent;
    }
  };
  const down = (start: number): void => {
    for (let i = start; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && earlier(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && earlier(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  const pop = (): void => {
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      down(0);
    }
  };
  /** The earliest live entry; stale entries on top are dropped. */
  const peek = (): Entry | undefined => {
    while (heap.length > 0 && live.get(heap[0]!.key) !== heap[0]) pop();
    return heap[0];
  };

  const arm = (): void => {
    if (stopped) return;
    const next = peek();
    const at = next === undefined ? Infinity : next.at;
    if (at === timerAt && timer !== undefined) return;
    clock.clearTimeout(timer);
    timer = undefined;
    timerAt = at;
    if (at === Infinity) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, at - clock.now()));
    timer = clock.setTimeout(fire, delay);
  };

  const fire = (): void => {
    timer = undefined;
    timerAt = Infinity;
    const now = clock.now();
    for (let n = 0; n < maxPerFire && !stopped; n++) {
      const next = peek();
      if (next === undefined || next.at > now) break;
      pop();
      live.delete(next.key);
      options.onDue(next.key);
    }
    arm();
  };

  return {
    set(key, atMs) {
      if (stopped) return;
      const entry = { key, at: atMs, seq: seq++ };
      live.set(key, entry);
      heap.push(entry);
      up(heap.length - 1);
      if (heap.length > 2 * live.size + 1024) {
        heap.length = 0;
        for (const e of live.values()) {
          heap.push(e);
          up(heap.length - 1);
        }
      }
      arm();
    },
    delete(key) {
      if (live.delete(key)) arm();
    },
    at: (key) => live.get(key)?.at,
    size: () => live.size,
    stop() {
      stopped = true;
      clock.clearTimeout(timer);
      timer = undefined;
      heap.length = 0;
      live.clear();
    },
  };
}
