// At most `max` sends in flight to one provider; the rest wait their turn in arrival order.

export interface Limiter {
  run<T>(work: () => Promise<T>): Promise<T>;
  active(): number;
  waiting(): number;
}

export function createLimiter(max: number): Limiter {
  let active = 0;
  const queue: (() => void)[] = [];
  const release = (): void => {
    active -= 1;
    queue.shift()?.();
  };
  return {
    async run(work) {
      if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
      active += 1;
      try {
        return await work();
      } finally {
        release();
      }
    },
    active: () => active,
    waiting: () => queue.length,
  };
}
