// Trying one push again: only what the provider's answer called retryable (throttled, 5xx,
// unreachable), after an exponential back-off with full jitter or the provider's Retry-After
// when longer, and only while the request's deadline allows the wait. A bad or unregistered
// token is never retried. Waits are timers of the notifier's clock, cut short by stop().
import { PushOutcome } from '@sipwake/contracts';
import type { PushProvider } from '@sipwake/contracts';
import type { Clock, TimerHandle } from './clock.js';
import { ProviderError, PushError, PushErrorCode } from './errors.js';

export interface RetryPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxAttempts: number;
}

/** Waits that stop() can cut short: `sleep` resolves false when cancelled. */
export interface Sleeper {
  sleep(ms: number): Promise<boolean>;
  cancelAll(): void;
}

export function createSleeper(clock: Clock): Sleeper {
  const pending = new Map<TimerHandle, (slept: boolean) => void>();
  let cancelled = false;
  return {
    sleep(ms) {
      if (cancelled) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        const handle = clock.setTimeout(() => {
          pending.delete(handle);
          resolve(true);
        }, ms);
        pending.set(handle, resolve);
      });
    },
    cancelAll() {
      cancelled = true;
      for (const [handle, resolve] of pending) {
        clock.clearTimeout(handle);
        resolve(false);
      }
      pending.clear();
    },
  };
}

/** Any failure of one send as a ProviderError: a throw outside the provider's answer included. */
export function asProviderError(error: unknown, provider: PushProvider): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof PushError && error.code === PushErrorCode.ProviderUnreachable) {
    return new ProviderError(
      PushErrorCode.ProviderUnreachable,
      {
        provider,
        status: 0,
        reason: 'unreachable',
        outcome: PushOutcome.ProviderError,
        retryable: true,
      },
      { cause: error },
    );
  }
  return new ProviderError(
    error instanceof PushError ? error.code : PushErrorCode.ProviderRejected,
    {
      provider,
      status: 0,
      reason: 'internal',
      outcome: PushOutcome.ProviderError,
      retryable: false,
    },
    { cause: error },
  );
}

/** Exponential back-off with full jitter: a random wait in [0, min(max, base·2^attempt)]. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling * random());
}

export interface RetryContext {
  readonly clock: Clock;
  readonly sleeper: Sleeper;
  readonly random: () => number;
  readonly policy: RetryPolicy;
  /** Clock time after which no new attempt starts. */
  readonly deadlineAt: number;
  readonly provider: PushProvider;
  /** Told before each wait (for the log). */
  readonly onRetry?: (error: ProviderError, delayMs: number, attempt: number) => void;
}

/** Runs `attempt` until it succeeds or a failure may not or cannot be retried; throws the last. */
export async function withRetries<T>(attempt: () => Promise<T>, context: RetryContext): Promise<T> {
  for (let n = 0; ; n += 1) {
    let error: ProviderError;
    try {
      return await attempt();
    } catch (thrown) {
      error = asProviderError(thrown, context.provider);
    }
    if (!error.retryable || n + 1 >= context.policy.maxAttempts) throw error;
    const delayMs = Math.max(error.retryAfterMs ?? 0, backoffMs(n, context.policy, context.random));
    if (context.clock.now() + delayMs >= context.deadlineAt) throw error;
    context.onRetry?.(error, delayMs, n + 1);
    if (!(await context.sleeper.sleep(delayMs))) throw error;
  }
}
