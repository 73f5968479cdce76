// The shard's instance and device subjects → the directory, on the in-process bus against a
// state-persister stand-in: reloads, removals, ordering, device events, bad messages dropped
// with a logged reason (never their values).
import { createInProcessBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import { DeviceEvent, encodeMessage, InstanceChange, subjects } from '@sipwake/contracts';
import type { LoadedInstance } from '@sipwake/contracts';
import { startFakePersister } from '../checkpoint/test-support/fake-persister.js';
import type { FakePersister } from '../checkpoint/test-support/fake-persister.js';
import { loadedInstance, testDevice, testKeyRing } from '../registration/test-support/instances.js';
import { createDirectory } from './directory.js';
import type { DirectoryStore } from './directory.js';
import { createFeed } from './feed.js';
import type { Feed } from './feed.js';
import { createLoader } from './loader.js';

const keyRing = testKeyRing();
const make = (n: number, over: Partial<LoadedInstance> = {}): LoadedInstance =>
  loadedInstance(keyRing, { username: `u${n}`, domain: 'example.test', password: 'p' }, over);
/** Instances whose selector starts with 0..7 (this shard owns `0/1`) and one that does not. */
const ours = [...Array(40).keys()].map((n) => make(n)).filter((i) => i.selector[0]! < '8');
const theirs = [...Array(40).keys()].map((n) => make(n)).find((i) => i.selector[0]! >= '8')!;

interface Logged {
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

describe('feed', () => {
  let bus: Bus;
  let persister: FakePersister;
  let directory: DirectoryStore;
  let feed: Feed;
  let logged: Logged[];
  let heard: DeviceEvent[];
  const a = ours[0]!;
  const b = ours[1]!;

  beforeEach(() => {
    bus = createInProcessBus();
    persister = startFakePersister(bus);
    directory = createDirectory({ keyRing });
    logged = [];
    heard = [];
    const log = {
      debug() {},
      warn: (fields: object, message: string) =>
        logged.push({ fields: fields as Record<string, unknown>, message }),
    };
    feed = createFeed({
      bus,
      directory,
      loader: createLoader({ bus, timeoutMs: 1000, pageInstances: 10 }),
      prefixes: ['0/1'],
      log,
      onDeviceEvent: (event) => heard.push(event),
    });
    feed.start();
  });
  afterEach(async () => {
    await feed.stop();
    persister.stop();
    await bus.close();
  });

  const announce = (change: InstanceChange): void =>
    bus.publish(subjects.shardInstance(change.selector), encodeMessage(InstanceChange, change));
  const device = (event: DeviceEvent): void =>
    bus.publish(subjects.shardDevice(event.selector), encodeMessage(DeviceEvent, event));
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 10; i++) {
      await bus.flush();
      await new Promise((r) => setImmediate(r));
    }
  };

  it('reloads an instance on created and changed, and forgets it on removed', async () => {
    persister.instances.set(a.selector, a);
    announce({ change: 'created', selector: a.selector, version: 1 });
    await settle();
    expect(directory.get(a.selector)?.version).toBe(1);

    persister.instances.set(a.selector, { ...a, version: 2, mode: 'takeover' });
    announce({ change: 'changed', selector: a.selector, version: 2 });
    await settle();
    expect(directory.get(a.selector)).toMatchObject({ version: 2, mode: 'takeover' });

    persister.instances.delete(a.selector);
    announce({ change: 'removed', selector: a.selector, version: 3 });
    await settle();
    expect(directory.get(a.selector)).toBeUndefined();
  });

  it('forgets an instance whose reload finds nothing', async () => {
    directory.put(a);
    announce({ change: 'changed', selector: a.selector, version: 2 });
    await settle();
    expect(directory.get(a.selector)).toBeUndefined();
  });

  it('ignores a change older than one already announced', async () => {
    persister.instances.set(a.selector, { ...a, version: 5 });
    announce({ change: 'changed', selector: a.selector, version: 5 });
    announce({ change: 'removed', selector: a.selector, version: 4 });
    await settle();
    expect(directory.get(a.selector)?.version).toBe(5);
  });

  it('ignores what is not of its prefixes', async () => {
    persister.instances.set(theirs.selector, theirs);
    bus.publish(
      subjects.shardInstance(ours[2]!.selector), // delivered to this shard by mistake
      encodeMessage(InstanceChange, { change: 'created', selector: theirs.selector, version: 1 }),
    );
    await settle();
    expect(directory.get(theirs.selector)).toBeUndefined();
  });

  it('applies device events to the directory and hands them on', async () => {
    directory.put({ ...b, devices: [testDevice('d1', { lastSeenAt: 5_000 })] });
    const at = 10_000;
    device({ type: 'presence', selector: b.selector, deviceId: 'd1', presence: 'foreground', at });
    await settle();
    expect(directory.get(b.selector)?.devices[0]).toMatchObject({
      presence: 'foreground',
      lastSeenAt: at,
    });
    expect(heard).toHaveLength(1);

    // An older event changes nothing (events may cross).
    device({
      type: 'presence',
      selector: b.selector,
      deviceId: 'd1',
      presence: 'background',
      at: 9_000,
    });
    await settle();
    expect(directory.get(b.selector)?.devices[0]?.presence).toBe('foreground');

    device({
      type: 'about-to-answer',
      selector: b.selector,
      deviceId: 'd1',
      callId: 'c1',
      at: 11_000,
    });
    await settle();
    expect(directory.get(b.selector)?.devices[0]).toMatchObject({
      presence: 'foreground',
      lastSeenAt: 11_000,
    });
    expect(heard.map((e) => e.type)).toEqual(['presence', 'presence', 'about-to-answer']);
  });

  it('drops bad messages with a logged reason and never their values', async () => {
    directory.put(a);
    const subject = subjects.shardInstance(a.selector);
    bus.publish(subject, Buffer.from('not json'));
    bus.publish(
      subject,
      Buffer.from(JSON.stringify({ change: 'moved', selector: a.selector, version: 1 })),
    );
    bus.publish(
      subjects.shardDevice(a.selector),
      Buffer.from(
        JSON.stringify({
          type: 'presence',
          selector: a.selector,
          deviceId: 'secret-token-x',
          at: -1,
        }),
      ),
    );
    await settle();
    expect(logged.map((l) => [l.message, l.fields['code']])).toEqual([
      ['bad instance change dropped', 'INVALID_MESSAGE'],
      ['bad instance change dropped', 'INVALID_MESSAGE'],
      ['bad device event dropped', 'INVALID_MESSAGE'],
    ]);
    const text = logged.map((l) => JSON.stringify(l.fields) + String(l.fields['err'])).join('');
    expect(text).not.toContain('secret-token-x');
    expect(directory.get(a.selector)?.version).toBe(1);
  });

  it('stops taking messages after stop', async () => {
    await feed.stop();
    persister.instances.set(a.selector, a);
    announce({ change: 'created', selector: a.selector, version: 1 });
    await settle();
    expect(directory.get(a.selector)).toBeUndefined();
  });
});
