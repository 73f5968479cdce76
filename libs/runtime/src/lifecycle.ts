// Starting several services in one process, and stopping them: in the given order up, the
// reverse order down (the router stops taking calls before the agents it feeds stop), and a
// failed start stops what had already started.
import { StartError, StopError } from './errors.js';

/** What `startInOrder` starts: anything that starts into something stoppable. */
export interface Startable<R extends Stoppable> {
  readonly name: string;
  start(): Promise<R>;
}

export interface Stoppable {
  stop(): Promise<void>;
}

export interface Started<R extends Stoppable> {
  readonly name: string;
  readonly running: R;
}

/** Starts each in turn; when one fails, stops the started ones (newest first) and throws. */
export async function startInOrder<R extends Stoppable>(
  items: readonly Startable<R>[],
): Promise<readonly Started<R>[]> {
  const started: Started<R>[] = [];
  for (const item of items) {
    try {
      started.push({ name: item.name, running: await item.start() });
    } catch (error) {
      await stopInReverse(started).catch(() => undefined);
      throw new StartError(item.name, error);
    }
  }
  return started;
}

/** Stops newest first; every one is stopped even when an earlier stop fails. */
export async function stopInReverse(started: readonly Started<Stoppable>[]): Promise<void> {
  const failures: { name: string; error: unknown }[] = [];
  for (const { name, running } of [...started].reverse()) {
    try {
      await running.stop();
    } catch (error) {
      failures.push({ name, error });
    }
  }
  if (failures.length > 0) throw new StopError(failures);
}
