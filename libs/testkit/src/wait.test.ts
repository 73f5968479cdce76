import { EventEmitter } from 'node:events';
import { WaitTimeoutError } from './errors.js';
import { waitFor, withTimeout } from './wait.js';

describe('waitFor with a predicate', () => {
  it('resolves with the first truthy value', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), {
      timeoutMs: 1000,
      intervalMs: 1,
    });
    expect(value).toEqual({ calls: 3 });
  });

  it('fails naming what it waited for, with the last error seen', async () => {
    const wait = waitFor(
      () => {
        throw new Error('connection refused');
      },
      { timeoutMs: 50, what: 'the server', intervalMs: 5 },
    );
    await expect(wait).rejects.toBeInstanceOf(WaitTimeoutError);
    await expect(wait).rejects.toThrow(
      /timed out after 50 ms waiting for the server: last error: connection refused/,
    );
  });

  it('gives up at once when its signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const wait = waitFor(() => false, {
      timeoutMs: 10000,
      intervalMs: 5,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('peer exited')), 10);
    await expect(wait).rejects.toThrow('peer exited');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('waitFor with an event', () => {
  it('resolves with the first argument of the first accepted event', async () => {
    const emitter = new EventEmitter();
    const wait = waitFor(
      { emitter, event: 'message', filter: (m) => m === 'wanted' },
      { timeoutMs: 1000 },
    );
    emitter.emit('message', 'other');
    emitter.emit('message', 'wanted');
    await expect(wait).resolves.toBe('wanted');
    expect(emitter.listenerCount('message')).toBe(0);
    expect(emitter.listenerCount('error')).toBe(0);
  });

  it("rejects on the emitter's error", async () => {
    const emitter = new EventEmitter();
    const wait = waitFor({ emitter, event: 'message' }, { timeoutMs: 1000 });
    emitter.emit('error', new Error('socket closed'));
    await expect(wait).rejects.toThrow('socket closed');
  });

  it('times out naming the event', async () => {
    const emitter = new EventEmitter();
    await expect(waitFor({ emitter, event: 'ready' }, { timeoutMs: 20 })).rejects.toThrow(
      "timed out after 20 ms waiting for event 'ready'",
    );
    expect(emitter.listenerCount('ready')).toBe(0);
  });
});

describe('withTimeout', () => {
  it('passes a settled value through', async () => {
    await expect(withTimeout(Promise.resolve(7), 100, 'seven')).resolves.toBe(7);
  });

  it('rejects with a WaitTimeoutError naming the awaited thing', async () => {
    const never = new Promise<never>(() => undefined);
    await expect(withTimeout(never, 20, 'the 200 OK')).rejects.toMatchObject({
      code: 'TIMEOUT',
      what: 'the 200 OK',
      timeoutMs: 20,
    });
  });
});
