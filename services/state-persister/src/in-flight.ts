// The work a persister has started and not finished, so stop() can wait for it.
export interface InFlight {
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves when everything tracked so far (and anything tracked meanwhile) has settled. */
  settled(): Promise<void>;
}

export function createInFlight(): InFlight {
  const pending = new Set<Promise<unknown>>();
  return {
    track(work) {
      pending.add(work);
      const forget = (): void => {
        pending.delete(work);
      };
      work.then(forget, forget);
      return work;
    },
    async settled() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
