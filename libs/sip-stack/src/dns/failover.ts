// RFC 3263 §4.3: move to the next target when one fails. Every iterator and every tryTargets
// call keeps its own state; nothing is remembered between two of them.
import { LocateError, type TargetFailure } from './errors.js';
import type { Target } from './types.js';

export type TargetSource = Iterable<Target> | AsyncIterable<Target>;

export interface TargetIterator {
  /** The next target not handed out before (same transport, address and port); undefined at the end. */
  next(): Promise<Target | undefined>;
  /** The targets handed out so far, in order. */
  readonly tried: readonly Target[];
}

/** Walks a target list (an array, or the lazy list of ServerLocator.targets) one target at a time. */
export function createTargetIterator(source: TargetSource): TargetIterator {
  const iterator: AsyncIterator<Target> | Iterator<Target> =
    Symbol.asyncIterator in source
      ? source[Symbol.asyncIterator]()
      : (source as Iterable<Target>)[Symbol.iterator]();
  const tried: Target[] = [];
  const seen = new Set<string>();
  let done = false;
  let queue: Promise<unknown> = Promise.resolve();

  async function advance(): Promise<Target | undefined> {
    while (!done) {
      const step = await iterator.next();
      if (step.done) {
        done = true;
        break;
      }
      const key = `${step.value.protocol} ${step.value.address} ${step.value.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      tried.push(step.value);
      return step.value;
    }
    return undefined;
  }

  return {
    next() {
      // One step at a time, even when next() is called again before the last one settled.
      const result = queue.then(advance);
      queue = result.catch(() => undefined);
      return result;
    },
    tried,
  };
}

/** The default RFC 3263 §4.3 failure outcome: "the transaction layer reports a 503 error response". */
export function isServiceUnavailable(outcome: unknown): boolean {
  return (
    typeof outcome === 'object' &&
    outcome !== null &&
    (outcome as { status?: unknown }).status === 503
  );
}

export interface FailoverOptions<T> {
  /** Whether an outcome means "try the next target"; default isServiceUnavailable (a 503). */
  readonly isFailure?: (outcome: T) => boolean;
  /**
   * Whether a thrown error means "try the next target" (RFC 3263 §4.3: a transport failure, or a
   * transaction timeout without any response). Default: every error. Other errors are rethrown.
   */
  readonly shouldFailOver?: (error: unknown) => boolean;
  /** Try at most this many targets; default: all of them. */
  readonly maxAttempts?: number;
}

export interface FailoverSuccess<T> {
  readonly outcome: T;
  readonly target: Target;
  /** The targets that failed before, in order. */
  readonly failures: readonly TargetFailure[];
}

/**
 * Runs `attempt` on each target in turn until one does not fail.
 *
 * RFC 3263 §4.3: "If a failure occurs, the client SHOULD create a new request, which is
 * identical to the previous, but has a different value of the Via branch ID than the previous
 * (and therefore constitutes a new SIP transaction). That request is sent to the next element
 * in the list as specified by RFC 2782." — building the new transaction is `attempt`'s job.
 *
 * Rejects with LocateError LOCATE_NO_TARGETS when there is no target, and
 * LOCATE_TARGETS_EXHAUSTED (with every failure, a 503 outcome included) when all failed.
 */
export async function tryTargets<T>(
  targets: TargetSource,
  attempt: (target: Target, index: number) => Promise<T>,
  options: FailoverOptions<T> = {},
): Promise<FailoverSuccess<T>> {
  const isFailure = options.isFailure ?? isServiceUnavailable;
  const shouldFailOver = options.shouldFailOver ?? (() => true);
  const maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
  const iterator = createTargetIterator(targets);
  const failures: TargetFailure[] = [];
  let lastError: unknown;

  for (let index = 0; index < maxAttempts; index++) {
    const target = await iterator.next();
    if (!target) break;
    try {
      const outcome = await attempt(target, index);
      if (!isFailure(outcome)) return { outcome, target, failures };
      failures.push({ target, outcome });
    } catch (error) {
      if (!shouldFailOver(error)) throw error;
      failures.push({ target, error });
      lastError = error;
    }
  }
  if (failures.length === 0) {
    throw new LocateError('LOCATE_NO_TARGETS', 'no target to try');
  }
  throw new LocateError(
    'LOCATE_TARGETS_EXHAUSTED',
    `all ${failures.length} target(s) failed`,
    failures,
    lastError === undefined ? undefined : { cause: lastError },
  );
}
