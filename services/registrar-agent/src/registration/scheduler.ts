// The REGISTER throttle: jobs keyed by selector, each due at a time, run in order of that time
// and spaced 1000/perSecond ms apart, so a shard that (re)starts never storms a registrar and
// the bindings that expire soonest go first (DESIGN.md "Durability and failure").
import type { Clock, TimerHandle } from '@sipwake/sip-stack';

export interface SchedulerOptions {
  readonly clock: Clock;
  readonly perSecond: number;
  readonly run: (selector: string) => void;
}

export interface Scheduler {
  /** Runs `selector`'s job at `atMs` (monotonic) or later; replaces the job it had. */
  schedule(selector: string, atMs: number): void;
  cancel(selector: string): void;
  /** When the job of `selector` is due, or undefined. */
  dueAt(selector: string): number | undefined;
  /** Jobs waiting. */
  size(): number;
  stop(): void;
}

interface Job {
  readonly selector: string;
  readonly at: number;
  readonly seq: number;
}

/**
 * Jobs one timer runs at most before it yields the event loop (the rest go on the next turn):
 * answers are read between, so a rate above what the process can do does not starve them
 * (64 here made REGISTERs time out and retransmit at 5,000/s).
 */
const MAX_JOBS_PER_FIRE = 8;

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { clock } = options;
  const spacingMs = 1000 / options.perSecond;
  const heap: Job[] = [];
  /** The live job of each selector: heap entries that are not it are stale and skipped. */
  const live = new Map<string, Job>();
  let seq = 0;
  let nextSlot = -Infinity;
  let timer: TimerHandle | undefined;
  let timerAt = Infinity;
  let stopped = false;

  const earlier = (a: Job, b: Job): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);
  const push = (job: Job): void => {
    heap.push(job);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!earlier(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const pop = (): Job | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && earlier(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && earlier(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  const peek = (): Job | undefined => {
    while (heap.length > 0 && live.get(heap[0]!.selector) !== heap[0]) pop();
    return heap[0];
  };

  const arm = (): void => {
    if (stopped) return;
    const next = peek();
    const at = next === undefined ? Infinity : Math.max(next.at, nextSlot);
    if (at === timerAt) return;
    clock.clearTimeout(timer);
    timer = undefined;
    timerAt = at;
    if (at !== Infinity) timer = clock.setTimeout(fire, Math.max(0, at - clock.now()));
  };

  const fire = (): void => {
    // The slot this timer was armed for. A timer fires late (1 ms at the least in Node, more
    // while the event loop is busy), so every slot that passed since is used now: one job per
    // fire would cap the rate at the loop's turns, far below perSecond. Slots of a time when
    // nothing was due are not saved up (the timer is armed for the first due job).
    let slot = timerAt;
    timer = undefined;
    timerAt = Infinity;
    const now = clock.now();
    for (let ran = 0; ran < MAX_JOBS_PER_FIRE; ran += 1) {
      const job = peek();
      if (job === undefined || job.at > now || slot > now) break;
      pop();
      live.delete(job.selector);
      slot = Math.max(slot, job.at) + spacingMs;
      nextSlot = slot;
      options.run(job.selector);
    }
    arm();
  };

  return {
    schedule(selector, atMs) {
      if (stopped) return;
      const job = { selector, at: atMs, seq: seq++ };
      live.set(selector, job);
      push(job);
      // Many stale entries: rebuild so the heap stays bounded by the live jobs.
      if (heap.length > 2 * live.size + 1024) {
        heap.length = 0;
        for (const j of live.values()) push(j);
      }
      arm();
    },
    cancel(selector) {
      if (live.delete(selector)) arm();
    },
    dueAt: (selector) => live.get(selector)?.at,
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
