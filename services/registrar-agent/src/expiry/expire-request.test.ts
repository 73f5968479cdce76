// The expire request on the in-process bus: the reply's outcome, an error reply and a bus
// failure both as AgentError EXPIRE_FAILED.
import { createInProcessBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import { decodeMessage, ExpireInstance, subjects } from '@sipwake/contracts';
import { createExpiryStore } from './expire-request.js';

const request = {
  shard: 'shard-a',
  selector: '628bef098cd19b085f0eb48256f504f34142c01a',
  version: 3,
  lastHeardAt: 1_700_000_000_000,
};
const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));

describe('expire request', () => {
  let bus: Bus;
  beforeEach(() => {
    bus = createInProcessBus();
  });
  afterEach(async () => {
    await bus.close();
  });

  it('sends ExpireInstance on the expire subject and returns the outcome', async () => {
    const seen: unknown[] = [];
    bus.subscribe(subjects.stateExpire, (m) => {
      seen.push(decodeMessage(ExpireInstance, m.data));
      m.respond(json({ outcome: 'kept' }));
    });
    const store = createExpiryStore({ bus, timeoutMs: 1000 });
    await expect(store.expire(request)).resolves.toBe('kept');
    expect(seen).toEqual([request]);
  });

  it('turns an error reply into EXPIRE_FAILED with its retryability', async () => {
    bus.subscribe(subjects.stateExpire, (m) => {
      m.respond(json({ error: { code: 'STORE_DOWN', message: 'x', retryable: true } }));
    });
    const store = createExpiryStore({ bus, timeoutMs: 1000 });
    await expect(store.expire(request)).rejects.toMatchObject({
      code: 'EXPIRE_FAILED',
      retryable: true,
      selector: request.selector,
    });
  });

  it('turns a request nobody answers into a retryable EXPIRE_FAILED', async () => {
    const store = createExpiryStore({ bus, timeoutMs: 50 });
    await expect(store.expire(request)).rejects.toMatchObject({
      code: 'EXPIRE_FAILED',
      retryable: true,
    });
  });

  it('refuses to send a request its receiver would refuse', async () => {
    const store = createExpiryStore({ bus, timeoutMs: 50 });
    await expect(store.expire({ ...request, selector: 'nope' })).rejects.toMatchObject({
      code: 'INVALID_MESSAGE',
    });
  });
});
