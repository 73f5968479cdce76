// Start-up while PostgreSQL may be away: migrate, and while the server cannot be reached try
// again with a doubling wait (capped). Anything else (a failing migration) stops start-up at once.
// The wait's timer is cleared when the signal aborts (SIGTERM during start-up).
import type { Database, DbLogger } from './database.js';
import { DbError, DbErrorCode } from './errors.js';
import { migrate } from './migrate.js';

export interface MigrateWhenReachableOptions {
  readonly db: Database;
  readonly log: DbLogger;
  /** The first wait; it doubles up to `maxDelayMs`. */
  readonly firstDelayMs?: number;
  readonly maxDelayMs: number;
  readonly signal?: AbortSignal;
}

function unreachable(error: unknown): boolean {
  return (
    error instanceof DbError &&
    (error.code === DbErrorCode.Unavailable || error.code === DbErrorCode.Timeout)
  );
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves once the migrations ran; rejects on a non-connection failure or when aborted. */
export async function migrateWhenReachable(options: MigrateWhenReachableOptions): Promise<void> {
  const { db, log, maxDelayMs, signal } = options;
  let delayMs = Math.min(options.firstDelayMs ?? 250, maxDelayMs);
  for (let attempt = 1; ; attempt++) {
    try {
      await migrate(db, { log });
      return;
    } catch (error) {
      if (!unreachable(error)) throw error;
      log.warn(
        { attempt, retryInMs: delayMs, code: (error as DbError).code },
        'postgres unreachable at start-up',
      );
    }
    await wait(delayMs, signal);
    delayMs = Math.min(delayMs * 2, maxDelayMs);
  }
}
