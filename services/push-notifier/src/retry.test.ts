import { ProviderError, PushError, PushErrorCode } from './errors.js';
import { backoffMs, createSleeper, withRetries } from './retry.js';
import { createManualClock } from './test-support/manual-clock.js';

const policy = { baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 5 };
const throttled = (retryAfterMs?: number) =>
  new ProviderError(PushErrorCode.ProviderRejected, {
    provider: 'apns',
    status: 429,
    reason: 'TooManyRequests',
    outcome: 'throttled',
    retryable: true,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
const badToken = new ProviderError(PushErrorCode.ProviderRejected, {
  provider: 'apns',
  status: 400,
  reason: 'BadDeviceToken',
  outcome: 'bad-token',
  retryable: false,
});

/** Runs withRetries on a manual clock, moving time whenever a wait is pending. */
async function run(failures: unknown[], deadlineMs = 10_000, random = () => 1) {
  const clock = createManualClock();
  const sleeper = createSleeper(clock);
  let calls = 0;
  const waits: number[] = [];
  const promise = withRetries(
    async () => {
      calls += 1;
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      return 'sent';
    },
    {
      clock,
      sleeper,
      random,
      policy,
      deadlineAt: clock.now() + deadlineMs,
      provider: 'apns',
      onRetry: (_e, delayMs) => waits.push(delayMs),
    },
  );
  for (let i = 0; i < 20 && clock.pending() === 0; i += 1) await Promise.resolve();
  for (let i = 0; i < 20; i += 1) {
    for (let j = 0; j < 20; j += 1) await Promise.resolve();
    if (clock.pending() > 0) clock.advance(waits[waits.length - 1] ?? 0);
  }
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return { outcome, calls: () => calls, waits };
}

describe('withRetries', () => {
  it('retries a throttled push after the back-off, then succeeds', async () => {
    const result = await run([throttled(), throttled()]);
    expect(result.outcome).toEqual({ value: 'sent' });
    expect(result.calls()).toBe(3);
    expect(result.waits).toEqual([100, 200]);
  });

  it('waits at least what Retry-After asks', async () => {
    const result = await run([throttled(2500)]);
    expect(result.waits).toEqual([2500]);
    expect(result.outcome).toEqual({ value: 'sent' });
  });

  it('never retries a bad token', async () => {
    const result = await run([badToken]);
    expect(result.outcome).toEqual({ error: badToken });
    expect(result.calls()).toBe(1);
  });

  it('gives up with the last error when the wait would pass the deadline', async () => {
    const last = throttled(5000);
    const result = await run([throttled(), last], 3000);
    expect(result.outcome).toEqual({ error: last });
    expect(result.calls()).toBe(2);
  });

  it('stops after maxAttempts', async () => {
    const result = await run([
      throttled(),
      throttled(),
      throttled(),
      throttled(),
      throttled(),
      throttled(),
    ]);
    expect(result.calls()).toBe(5);
    expect(result.outcome).toMatchObject({ error: { outcome: 'throttled' } });
  });

  it('turns an unreachable provider into a retryable provider-error and any other throw into a final one', async () => {
    const unreachable = new PushError(PushErrorCode.ProviderUnreachable, 'x: refused');
    expect((await run([unreachable])).outcome).toEqual({ value: 'sent' });
    const bug = await run([new TypeError('template blew up')]);
    expect(bug.outcome).toMatchObject({
      error: { outcome: 'provider-error', reason: 'internal', retryable: false },
    });
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffMs(n, policy, () => 1))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffMs(3, policy, () => 0.5)).toBe(400);
  });

  it('a cancelled sleeper ends the waits at once', async () => {
    const clock = createManualClock();
    const sleeper = createSleeper(clock);
    const waiting = sleeper.sleep(10_000);
    sleeper.cancelAll();
    expect(await waiting).toBe(false);
    expect(await sleeper.sleep(1)).toBe(false);
    expect(clock.pending()).toBe(0);
  });
});
