import { StartError, StopError } from './errors.js';
import { startInOrder, stopInReverse } from './lifecycle.js';

function recorder() {
  const events: string[] = [];
  const item = (name: string, opts: { failStart?: boolean; failStop?: boolean } = {}) => ({
    name,
    start: async () => {
      if (opts.failStart) throw new Error(`${name} cannot bind`);
      events.push(`start ${name}`);
      return {
        stop: async () => {
          events.push(`stop ${name}`);
          if (opts.failStop) throw new Error(`${name} stuck`);
        },
      };
    },
  });
  return { events, item };
}

describe('startInOrder / stopInReverse', () => {
  it('starts in the given order and stops newest first', async () => {
    const { events, item } = recorder();
    const started = await startInOrder([item('persister'), item('agent'), item('router')]);
    await stopInReverse(started);
    expect(events).toEqual([
      'start persister',
      'start agent',
      'start router',
      'stop router',
      'stop agent',
      'stop persister',
    ]);
  });

  it('stops what had started when a later start fails, and names the failed service', async () => {
    const { events, item } = recorder();
    const failing = startInOrder([
      item('persister'),
      item('agent'),
      item('router', { failStart: true }),
    ]);
    await expect(failing).rejects.toThrow(StartError);
    await expect(failing).rejects.toMatchObject({ service: 'router', code: 'START_FAILED' });
    expect(events).toEqual(['start persister', 'start agent', 'stop agent', 'stop persister']);
  });

  it('stops every service even when one stop fails, then reports which', async () => {
    const { events, item } = recorder();
    const started = await startInOrder([item('a'), item('b', { failStop: true }), item('c')]);
    const stopping = stopInReverse(started);
    await expect(stopping).rejects.toThrow(StopError);
    await expect(stopping).rejects.toMatchObject({ failures: [{ name: 'b' }] });
    expect(events.slice(3)).toEqual(['stop c', 'stop b', 'stop a']);
  });
});
