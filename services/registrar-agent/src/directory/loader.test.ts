// Loading from a state-persister stand-in on the in-process bus: every page of a prefix set,
// one selector, and the failures as AgentError LOAD_FAILED.
import { createInProcessBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import { LoadRequest, decodeMessage, subjects } from '@sipwake/contracts';
import { startFakePersister } from '../checkpoint/test-support/fake-persister.js';
import type { FakePersister } from '../checkpoint/test-support/fake-persister.js';
import { loadedInstance, testKeyRing } from '../registration/test-support/instances.js';
import { createLoader } from './loader.js';

const keyRing = testKeyRing();
const instances = [...Array(7).keys()].map((n) =>
  loadedInstance(keyRing, { username: `u${n}`, domain: 'example.test', password: 'p' }),
);

describe('loader', () => {
  let bus: Bus;
  let persister: FakePersister;
  const requests: LoadRequest[] = [];
  beforeEach(() => {
    bus = createInProcessBus();
    persister = startFakePersister(bus);
    for (const i of instances) persister.instances.set(i.selector, i);
    requests.length = 0;
    bus.subscribe(
      subjects.stateLoad,
      (m) => void requests.push(decodeMessage(LoadRequest, m.data)),
    );
  });
  afterEach(async () => {
    persister.stop();
    await bus.close();
  });

  it('loads every page of the prefixes, passing each cursor back', async () => {
    const loader = createLoader({ bus, timeoutMs: 1000, pageInstances: 3 });
    const pages: number[] = [];
    const selectors: string[] = [];
    for await (const page of loader.pages(['0/0'])) {
      pages.push(page.length);
      selectors.push(...page.map((i) => i.selector));
    }
    expect(pages).toEqual([3, 3, 1]);
    expect(selectors).toEqual(instances.map((i) => i.selector).sort());
    expect(requests.map((r) => [r.limit, r.cursor])).toEqual([
      [3, undefined],
      [3, selectors[2]],
      [3, selectors[5]],
    ]);
  });

  it('loads only the selectors of its prefixes', async () => {
    const loader = createLoader({ bus, timeoutMs: 1000, pageInstances: 100 });
    const loaded: string[] = [];
    for await (const page of loader.pages(['8/1'])) loaded.push(...page.map((i) => i.selector));
    const expected = instances.map((i) => i.selector).filter((s) => parseInt(s[0]!, 16) >= 8);
    expect(loaded.sort()).toEqual(expected.sort());
  });

  it('loads one selector as a prefix of all its bits, or null when the store lost it', async () => {
    const loader = createLoader({ bus, timeoutMs: 1000, pageInstances: 100 });
    const wanted = instances[4]!;
    await expect(loader.one(wanted.selector)).resolves.toEqual(wanted);
    expect(requests.at(-1)).toEqual({ prefixes: [`${wanted.selector}/160`], limit: 1 });
    persister.instances.delete(wanted.selector);
    await expect(loader.one(wanted.selector)).resolves.toBeNull();
  });

  it('stops after maxPages pages', async () => {
    const loader = createLoader({ bus, timeoutMs: 1000, pageInstances: 1, maxPages: 2 });
    const run = async (): Promise<void> => {
      for await (const page of loader.pages(['0/0'])) void page;
    };
    await expect(run()).rejects.toMatchObject({ code: 'LOAD_FAILED' });
  });

  it('fails with LOAD_FAILED on an error reply, a bad page or no answer', async () => {
    persister.stop();
    const loader = createLoader({ bus, timeoutMs: 50, pageInstances: 10 });
    await expect(loader.one(instances[0]!.selector)).rejects.toMatchObject({
      code: 'LOAD_FAILED',
      retryable: true,
    });
    const sub = bus.subscribe(subjects.stateLoad, (m) => {
      m.respond(
        Buffer.from(JSON.stringify({ error: { code: 'DB', message: 'x', retryable: false } })),
      );
    });
    await expect(loader.one(instances[0]!.selector)).rejects.toMatchObject({
      code: 'LOAD_FAILED',
      retryable: false,
    });
    sub.unsubscribe();
    bus.subscribe(subjects.stateLoad, (m) => {
      m.respond(
        Buffer.from(JSON.stringify({ instances: [{ selector: 'nope' }], nextCursor: null })),
      );
    });
    await expect(loader.one(instances[0]!.selector)).rejects.toMatchObject({
      code: 'LOAD_FAILED',
    });
  });
});
