// The directory: versions, the registration state it keeps across reloads, sealed passwords
// opened only on demand, device events and device-side bindings, and the events it emits.
import type { CheckpointRow } from '@sipwake/contracts';
import { createKeyRing } from '@sipwake/secrets';
import { randomBytes } from 'node:crypto';
import type { DirectoryEvent } from '../ports.js';
import { loadedInstance, testDevice, testKeyRing } from '../registration/test-support/instances.js';
import { createDirectory } from './directory.js';

const keyRing = testKeyRing();
const account = { username: 'alice', domain: 'example.test', password: 'pa55-word' };
const row = (
  selector: string,
  version: number,
  status: CheckpointRow['status'],
): CheckpointRow => ({
  selector,
  status,
  callId: `c-${version}`,
  cseq: version,
  expiresAt: null,
  lastCode: 200,
  lastAt: 1,
  version,
});

describe('directory', () => {
  it('adds, replaces by a newer version, and ignores an older one', () => {
    const directory = createDirectory({ keyRing });
    const events: DirectoryEvent[] = [];
    directory.onChange((e) => events.push(e));
    const a = loadedInstance(keyRing, account);
    expect(directory.put(a)).toBe('added');
    expect(directory.put({ ...a, version: 3, mode: 'takeover' })).toBe('changed');
    expect(directory.put({ ...a, version: 2 })).toBe('stale');
    expect(directory.get(a.selector)).toMatchObject({ version: 3, mode: 'takeover' });
    expect(directory.size()).toBe(1);
    expect(events.map((e) => e.kind)).toEqual(['added', 'changed']);
    expect(directory.remove(a.selector)).toBe(true);
    expect(directory.remove(a.selector)).toBe(false);
    expect(events.at(-1)).toEqual({ kind: 'removed', selector: a.selector });
  });

  it('keeps its own registration state over a reload unless the store has a newer row', () => {
    const directory = createDirectory({ keyRing });
    const a = loadedInstance(keyRing, account, {
      registration: row('0'.repeat(40), 1, 'registering'),
    });
    directory.put(a);
    directory.setRegistration(a.selector, 'registered', row(a.selector, 5, 'registered'));
    directory.put({ ...a, version: 2, registration: row(a.selector, 4, 'error') });
    expect(directory.get(a.selector)).toMatchObject({
      state: 'registered',
      registration: { version: 5 },
    });
    directory.put({ ...a, version: 3, registration: row(a.selector, 9, 'unauthorized') });
    expect(directory.get(a.selector)).toMatchObject({
      state: 'unauthorized',
      registration: { version: 9 },
    });
  });

  it('shows the account without the sealed password and opens it only on demand', () => {
    const directory = createDirectory({ keyRing });
    const a = loadedInstance(keyRing, account);
    directory.put(a);
    const instance = directory.get(a.selector)!;
    expect(JSON.stringify(instance)).not.toContain(a.account.passwordSealed);
    expect(JSON.stringify(instance)).not.toContain('pa55-word');
    expect(instance.credentials()).toEqual({ username: 'alice', password: 'pa55-word' });
  });

  it('refuses to open a password sealed under another key or for another selector', () => {
    const other = createKeyRing({ current: 'k1', keys: { k1: randomBytes(32) } });
    const directory = createDirectory({ keyRing: other });
    const a = loadedInstance(keyRing, account);
    directory.put(a);
    let error: unknown;
    try {
      directory.get(a.selector)!.credentials();
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'PASSWORD_UNREADABLE', selector: a.selector });
    expect(String(error)).not.toContain('pa55-word');

    const same = createDirectory({ keyRing });
    const b = loadedInstance(keyRing, { ...account, username: 'bob' });
    same.put({ ...b, account: { ...b.account, passwordSealed: a.account.passwordSealed } });
    expect(() => same.get(b.selector)!.credentials()).toThrow(
      expect.objectContaining({ code: 'PASSWORD_UNREADABLE' }),
    );
  });

  it('applies a device event to a known device only, and never an older one', () => {
    const directory = createDirectory({ keyRing });
    const a = loadedInstance(keyRing, account, {
      devices: [testDevice('d1', { lastSeenAt: 100 })],
    });
    directory.put(a);
    const event = (deviceId: string, at: number) => ({
      type: 'presence' as const,
      selector: a.selector,
      deviceId,
      presence: 'foreground' as const,
      at,
    });
    expect(directory.applyDevice(event('d2', 200))).toBe(false);
    expect(directory.applyDevice({ ...event('d1', 200), selector: 'f'.repeat(40) })).toBe(false);
    expect(directory.applyDevice(event('d1', 50))).toBe(false);
    expect(directory.get(a.selector)?.devices[0]).toMatchObject({ presence: 'background' });
    expect(directory.applyDevice(event('d1', 200))).toBe(true);
    expect(directory.get(a.selector)?.devices[0]).toMatchObject({
      presence: 'foreground',
      lastSeenAt: 200,
    });
  });

  it('records device-side bindings of held instances and emits binding events', () => {
    const directory = createDirectory({ keyRing });
    const events: string[] = [];
    directory.onChange((e) => events.push(e.kind));
    const a = loadedInstance(keyRing, account);
    const binding = {
      key: 'k',
      deviceId: null,
      contact: 'sip:x@10.0.0.9',
      target: { protocol: 'udp' as const, address: '10.0.0.9', port: 5060 },
      expiresAtMs: 1000,
    };
    expect(directory.setDeviceBinding(a.selector, binding)).toBe(false);
    directory.put(a);
    expect(directory.setDeviceBinding(a.selector, binding)).toBe(true);
    expect(directory.get(a.selector)?.deviceBindings).toEqual([binding]);
    directory.put({ ...a, version: 2 }); // a reload keeps the live bindings
    expect(directory.get(a.selector)?.deviceBindings).toHaveLength(1);
    directory.removeDeviceBinding(a.selector, 'other');
    directory.removeDeviceBinding(a.selector, 'k');
    expect(directory.get(a.selector)?.deviceBindings).toEqual([]);
    expect(events).toEqual(['added', 'binding', 'changed', 'binding']);
  });

  it('gives a held device new push data at once, dead mark dropped, and emits a token event', () => {
    const directory = createDirectory({ keyRing });
    const events: DirectoryEvent[] = [];
    directory.onChange((e) => events.push(e));
    const a = loadedInstance(keyRing, account, {
      devices: [testDevice('d1', { tokenDead: true, voipToken: 'voip-old' }), testDevice('d2')],
    });
    expect(directory.setDeviceToken(a.selector, 'd1', { token: 'new' })).toBe(false);
    directory.put(a);
    expect(directory.setDeviceToken(a.selector, 'd9', { token: 'new' })).toBe(false);
    expect(directory.setDeviceToken(a.selector, 'd1', { token: 'new' })).toBe(true);
    expect(directory.get(a.selector)?.devices).toEqual([
      { ...a.devices[0], token: 'new', voipToken: 'voip-old', tokenDead: false },
      a.devices[1],
    ]);
    expect(
      directory.setDeviceToken(a.selector, 'd1', { token: 'new', voipToken: 'voip-new' }),
    ).toBe(true);
    expect(directory.get(a.selector)?.devices[0]).toMatchObject({
      token: 'new',
      voipToken: 'voip-new',
    });
    expect(events.map((e) => e.kind)).toEqual(['added', 'token', 'token']);
    expect(events[1]).toEqual({ kind: 'token', selector: a.selector, deviceId: 'd1' });
  });

  it('marks a held device dead for the token a provider refused, not for a replaced one', () => {
    const directory = createDirectory({ keyRing });
    const events: DirectoryEvent[] = [];
    directory.onChange((e) => events.push(e));
    const a = loadedInstance(keyRing, account, {
      devices: [testDevice('d1', { voipToken: 'voip-1' }), testDevice('d2')],
    });
    expect(directory.markTokenDead(a.selector, 'd1', 'voip-1')).toBe(false);
    directory.put(a);
    expect(directory.markTokenDead(a.selector, 'd9', 'voip-1')).toBe(false);
    expect(directory.markTokenDead(a.selector, 'd1', 'some-older-token')).toBe(false);
    expect(directory.markTokenDead(a.selector, 'd1', 'voip-1')).toBe(true);
    expect(directory.markTokenDead(a.selector, 'd1', 'voip-1')).toBe(false); // already
    expect(directory.get(a.selector)?.devices).toEqual([
      { ...a.devices[0], tokenDead: true },
      a.devices[1],
    ]);
    // New push data from the app revives it.
    directory.setDeviceToken(a.selector, 'd1', { token: 'fresh' });
    expect(directory.get(a.selector)?.devices[0]?.tokenDead).toBe(false);
    expect(events.map((e) => e.kind)).toEqual(['added', 'token', 'token']);
  });
});
