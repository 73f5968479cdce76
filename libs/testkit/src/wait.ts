// Waiting on events with a bound: a test waits for the thing it expects (an event, a condition
// that becomes true) and fails with a message naming it, never after a blind sleep.
import { WaitTimeoutError } from './errors.js';

/** The part of an EventEmitter that waitFor needs (Node emitters, dgram sockets, child processes). */
export interface EventSourceLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** Wait until `emitter` emits `event` (and `filter` accepts its arguments); resolves with the first argument. */
export interface EventCondition {
  readonly emitter: EventSourceLike;
  readonly event: string;
  readonly filter?: (...args: unknown[]) => boolean;
  /** Reject when the emitter emits 'error' while waiting (default true). */
  readonly rejectOnError?: boolean;
}

/** Polled until it returns a truthy value (which waitFor resolves with). A throw counts as "not yet". */
export type Predicate<T> = () => T | Promise<T>;

export interface WaitOptions {
  readonly timeoutMs: number;
  /** What is awaited, for the timeout message ("Kamailio to answer OPTIONS"). */
  readonly what?: string;
  /** Poll interval for a predicate (default 20 ms). */
  readonly intervalMs?: number;
  /** Gives up at once, rejecting with the signal's reason (e.g. the peer being waited on exited). */
  readonly signal?: AbortSignal;
}

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

export function waitFor<T>(condition: Predicate<T>, options: WaitOptions): Promise<Truthy<T>>;
export function waitFor(condition: EventCondition, options: WaitOptions): Promise<unknown>;
export function waitFor<T>(
  condition: Predicate<T> | EventCondition,
  options: WaitOptions,
): Promise<unknown> {
  return typeof condition === 'function'
    ? pollPredicate(condition, options)
    : waitForEvent(condition, options);
}

function pollPredicate<T>(predicate: Predicate<T>, options: WaitOptions): Promise<Truthy<T>> {
  const what = options.what ?? 'a condition';
  const intervalMs = options.intervalMs ?? 20;
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  return new Promise((resolve, reject) => {
    const attempt = async (): Promise<void> => {
      if (options.signal?.aborted) {
        reject(options.signal.reason);
        return;
      }
      try {
        const value = await predicate();
        if (value) {
          resolve(value as Truthy<T>);
          return;
        }
      } catch (error) {
        lastError = error;
      }
      if (options.signal?.aborted) {
        reject(options.signal.reason);
        return;
      }
      if (Date.now() >= deadline) {
        const detail = lastError instanceof Error ? `last error: ${lastError.message}` : undefined;
        reject(new WaitTimeoutError(what, options.timeoutMs, detail));
        return;
      }
      const timer = setTimeout(
        () => {
          options.signal?.removeEventListener('abort', onAbort);
          void attempt();
        },
        Math.min(intervalMs, deadline - Date.now()),
      );
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(options.signal?.reason);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
    };
    // A next attempt is scheduled only while unsettled, so no timer outlives the promise.
    void attempt();
  });
}

function waitForEvent(condition: EventCondition, options: WaitOptions): Promise<unknown> {
  const { emitter, event, filter } = condition;
  const rejectOnError = condition.rejectOnError ?? event !== 'error';
  const what = options.what ?? `event '${event}'`;
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      emitter.off(event, onEvent);
      if (rejectOnError) emitter.off('error', onError);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const onEvent = (...args: unknown[]): void => {
      let accepted: boolean;
      try {
        accepted = filter ? filter(...args) : true;
      } catch (error) {
        cleanup();
        reject(error);
        return;
      }
      if (!accepted) return;
      cleanup();
      resolve(args[0]);
    };
    const onError = (error: unknown): void => {
      cleanup();
      reject(error);
    };
    const onAbort = (): void => {
      cleanup();
      reject(options.signal?.reason);
    };
    if (options.signal?.aborted) {
      reject(options.signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      cleanup();
      reject(new WaitTimeoutError(what, options.timeoutMs));
    }, options.timeoutMs);
    emitter.on(event, onEvent);
    if (rejectOnError) emitter.on('error', onError);
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Settles like `promise`, or rejects with a WaitTimeoutError naming `what` after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WaitTimeoutError(what, ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
