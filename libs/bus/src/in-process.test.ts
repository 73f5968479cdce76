import { connectBus } from './connect.js';
import { runBusContract } from './contract.js';
import { createInProcessBus } from './in-process.js';
import type { BusTimers } from './timers.js';
import type { BusMessage } from './types.js';

runBusContract('in-process', async () => createInProcessBus());

/** Timers a test fires by hand. */
function manualTimers(): BusTimers & { fireAll(): void; count(): number } {
  const pending = new Map<number, () => void>();
  let next = 0;
  return {
    setTimeout: (callback) => {
      pending.set(++next, callback);
      return next;
    },
    clearTimeout: (handle) => {
      pending.delete(handle as number);
    },
    fireAll: () => {
      const callbacks = [...pending.values()];
      pending.clear();
      for (const callback of callbacks) callback();
    },
    count: () => pending.size,
  };
}

describe('in-process bus', () => {
  it('is what connectBus gives for kind in-process', async () => {
    const bus = await connectBus({ kind: 'in-process' });
    expect(bus.kind).toBe('in-process');
    await bus.close();
  });

  it('hands a queue group its messages round-robin', async () => {
    const bus = createInProcessBus();
    const seen: number[][] = [[], [], []];
    for (const list of seen) {
      bus.subscribe('sw.push', (m: BusMessage) => void list.push(m.data[0]!), { queue: 'push' });
    }
    for (let i = 0; i < 6; i++) bus.publish('sw.push', new Uint8Array([i]));
    await bus.flush();
    expect(seen).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    await bus.close();
  });

  it('times requests out with the injected timers and clears them on reply', async () => {
    const timers = manualTimers();
    const bus = createInProcessBus({ timers, requestTimeoutMs: 1000 });
    bus.subscribe('sw.state.load', () => undefined);
    const waiting = bus.request('sw.state.load', new Uint8Array());
    expect(timers.count()).toBe(1);
    timers.fireAll();
    await expect(waiting).rejects.toMatchObject({ code: 'TIMEOUT', subject: 'sw.state.load' });

    bus.subscribe('sw.echo', (m) => void m.respond(m.data));
    await expect(bus.request('sw.echo', new Uint8Array([7]))).resolves.toMatchObject({
      data: new Uint8Array([7]),
    });
    expect(timers.count()).toBe(0);
    await bus.close();
  });

  it('refuses options that make no working bus', () => {
    expect(() => createInProcessBus({ maxPayloadBytes: 0 })).toThrow(
      expect.objectContaining({ code: 'BAD_OPTIONS' }),
    );
  });

  it('logs a failing handler through the given logger', async () => {
    const lines: string[] = [];
    const log = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (_f: object, message: string) => void lines.push(message),
    };
    const bus = createInProcessBus({ log });
    bus.subscribe('sw.control.x', () => {
      throw new Error('boom');
    });
    bus.publish('sw.control.x', new Uint8Array());
    await bus.flush();
    expect(lines).toEqual(['handler for sw.control.x failed: boom']);
    await bus.close();
  });
});
