import { inspect } from 'node:util';
import { SecretsError } from './errors.js';
import { createKeyRing } from './key-ring.js';
import { openSecret, sealSecret } from './sealed.js';

const k1 = Buffer.alloc(32, 0xa1);
const k2 = Buffer.alloc(32, 0xb2);
const keyTexts = [k1, k2].flatMap((k) => [k.toString('base64'), k.toString('hex'), '161, 161']);

function caught(run: () => unknown): SecretsError {
  try {
    run();
  } catch (error) {
    if (error instanceof SecretsError) return error;
    throw error;
  }
  throw new Error('expected a SecretsError');
}

describe('createKeyRing', () => {
  it('holds the ids in order and the current one', () => {
    const ring = createKeyRing({
      current: 'k2',
      keys: new Map([
        ['k1', k1],
        ['k2', k2],
      ]),
    });
    expect(ring.currentKeyId).toBe('k2');
    expect(ring.keyIds).toEqual(['k1', 'k2']);
    expect(ring.hasKey('k1')).toBe(true);
    expect(ring.hasKey('k3')).toBe(false);
    expect(Object.isFrozen(ring)).toBe(true);
  });

  it('shows ids but never key bytes through inspect, String, JSON or its own properties', () => {
    const ring = createKeyRing({
      current: 'k2',
      keys: { k1, k2 },
      source: '/etc/sipwake/keys.json',
    });
    const shown = [
      inspect(ring, { showHidden: true, depth: Infinity }),
      inspect({ nested: { ring } }, { depth: Infinity }),
      String(ring),
      `${ring}`,
      JSON.stringify(ring),
      JSON.stringify({ ring }),
      inspect(Object.getOwnPropertyDescriptors(ring), { depth: Infinity, showHidden: true }),
    ];
    expect(shown[0]).toBe('KeyRing { current: k2, keys: [k1, k2] from /etc/sipwake/keys.json }');
    expect(JSON.parse(shown[4]!)).toEqual({
      currentKeyId: 'k2',
      keyIds: ['k1', 'k2'],
      source: '/etc/sipwake/keys.json',
    });
    for (const text of shown) for (const key of keyTexts) expect(text).not.toContain(key);
  });

  it('copies the key bytes: wiping the caller’s buffer does not change the ring', () => {
    const bytes = Buffer.alloc(32, 7);
    const ring = createKeyRing({ current: 'a', keys: { a: bytes } });
    bytes.fill(0);
    const aad = { aad: 'row' };
    const sameKey = createKeyRing({ current: 'a', keys: { a: Buffer.alloc(32, 7) } });
    expect(openSecret(sameKey, sealSecret(ring, 'secret', aad), aad)).toBe('secret');
  });

  it('refuses a key that is not 32 bytes with KEY_INVALID naming the key id', () => {
    const error = caught(() =>
      createKeyRing({ current: 'k1', keys: { k1: Buffer.alloc(16) }, source: '/x/keys.json' }),
    );
    expect(error).toMatchObject({ code: 'KEY_INVALID', keyId: 'k1', path: '/x/keys.json' });
    expect(error.message).toContain('16 bytes');
    expect(error.message).toContain('/x/keys.json');
  });

  it('refuses a malformed key id with KEY_INVALID without echoing it', () => {
    const error = caught(() =>
      createKeyRing({ current: 'k1', keys: { k1, 'no spaces allowed': k2 } }),
    );
    expect(error.code).toBe('KEY_INVALID');
    expect(error.message).not.toContain('no spaces allowed');
    expect(caught(() => createKeyRing({ current: 'k', keys: { ['k'.repeat(33)]: k1 } })).code).toBe(
      'KEY_INVALID',
    );
  });

  it('refuses a current id that is not in the ring with CURRENT_KEY_UNKNOWN', () => {
    expect(caught(() => createKeyRing({ current: 'k9', keys: { k1 } }))).toMatchObject({
      code: 'CURRENT_KEY_UNKNOWN',
      message: 'key ring: the current key k9 is not in it (it holds k1)',
    });
    expect(caught(() => createKeyRing({ current: 'k1', keys: {} })).code).toBe(
      'CURRENT_KEY_UNKNOWN',
    );
  });
});
