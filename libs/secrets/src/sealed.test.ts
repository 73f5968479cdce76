import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { SecretsError } from './errors.js';
import { createKeyRing } from './key-ring.js';
import {
  instancePasswordAad,
  keyIdOf,
  needsRotation,
  openSecret,
  openSecretBytes,
  sealSecret,
  sealedFromString,
  sealedToString,
} from './sealed.js';

const k1 = Buffer.alloc(32, 1);
const k2 = Buffer.alloc(32, 2);
const ringK1 = createKeyRing({ current: 'k1', keys: { k1 } });
const ringBoth = createKeyRing({ current: 'k2', keys: { k1, k2 } });
const aad = { aad: instancePasswordAad('0a1b2c3d4e5f60718293a4b5c6d7e8f901234567') };
const password = 'correct horse battery staple';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof SecretsError) return error.code;
    throw error;
  }
  return undefined;
}

/** Offsets in a sealed value under a 2-character key id: version, length, id, IV, data, tag. */
const layout = { id: 2, iv: 4, data: 16 };

function flipped(sealed: Buffer, offset: number): Buffer {
  const copy = Buffer.from(sealed);
  copy[offset] = copy[offset]! ^ 0x01;
  return copy;
}

describe('sealSecret / openSecret', () => {
  it('round-trips a password, including the empty one and non-ASCII text', () => {
    for (const text of [password, '', 'pässwörd-✓', 'x'.repeat(1000)]) {
      expect(openSecret(ringK1, sealSecret(ringK1, text, aad), aad)).toBe(text);
    }
  });

  it('round-trips bytes', () => {
    const bytes = randomBytes(50);
    expect(openSecretBytes(ringK1, sealSecret(ringK1, bytes, aad), aad)).toEqual(bytes);
  });

  it('writes version, key id, 12-byte IV, ciphertext and 16-byte tag', () => {
    const sealed = sealSecret(ringK1, password, aad);
    expect(sealed[0]).toBe(1);
    expect(sealed[1]).toBe(2);
    expect(sealed.subarray(2, 4).toString('ascii')).toBe('k1');
    expect(sealed.length).toBe(4 + 12 + Buffer.byteLength(password) + 16);
    expect(sealed.includes(Buffer.from(password))).toBe(false);
  });

  it('uses a fresh IV each time: the same password seals differently', () => {
    const a = sealSecret(ringK1, password, aad);
    const b = sealSecret(ringK1, password, aad);
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(layout.iv, layout.data).equals(b.subarray(layout.iv, layout.data))).toBe(
      false,
    );
  });

  it('refuses an altered IV, ciphertext, tag or key id with DECRYPT_FAILED', () => {
    const sealed = sealSecret(ringBoth, password, aad);
    const tagAt = sealed.length - 16;
    for (const offset of [
      layout.iv,
      layout.iv + 11,
      layout.data,
      tagAt - 1,
      tagAt,
      sealed.length - 1,
    ]) {
      expect(codeOf(() => openSecret(ringBoth, flipped(sealed, offset), aad))).toBe(
        'DECRYPT_FAILED',
      );
    }
    // k2 → k1: a key the ring holds, but not the one it was sealed under.
    const otherId = Buffer.from(sealed);
    otherId.write('k1', layout.id, 'ascii');
    expect(codeOf(() => openSecret(ringBoth, otherId, aad))).toBe('DECRYPT_FAILED');
  });

  it('refuses a ciphertext with its tag cut short', () => {
    const sealed = sealSecret(ringK1, password, aad);
    expect(codeOf(() => openSecret(ringK1, sealed.subarray(0, sealed.length - 1), aad))).toBe(
      'DECRYPT_FAILED',
    );
  });

  it('binds the ciphertext to its AAD: another row’s AAD does not open it', () => {
    const sealed = sealSecret(ringK1, password, aad);
    const otherRow = { aad: instancePasswordAad('ffffffffffffffffffffffffffffffffffffffff') };
    expect(codeOf(() => openSecret(ringK1, sealed, otherRow))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => openSecret(ringK1, sealed, { aad: '' }))).toBe('DECRYPT_FAILED');
  });

  it('answers UNKNOWN_KEY_ID for a key the ring does not hold, naming the id', () => {
    const sealed = sealSecret(ringBoth, password, aad);
    let caught: unknown;
    try {
      openSecret(ringK1, sealed, aad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SecretsError);
    expect(caught).toMatchObject({ code: 'UNKNOWN_KEY_ID', keyId: 'k2' });
    expect(String(caught)).toContain('k2');
  });

  it('refuses a different key of the same id with DECRYPT_FAILED', () => {
    const impostor = createKeyRing({ current: 'k1', keys: { k1: Buffer.alloc(32, 9) } });
    expect(codeOf(() => openSecret(impostor, sealSecret(ringK1, password, aad), aad))).toBe(
      'DECRYPT_FAILED',
    );
  });

  it('answers SEALED_MALFORMED for values that are no sealed secret', () => {
    const sealed = sealSecret(ringK1, password, aad);
    const badVersion = Buffer.from(sealed);
    badVersion[0] = 2;
    const badIdLength = Buffer.from(sealed);
    badIdLength[1] = 0;
    const badIdChar = Buffer.from(sealed);
    badIdChar[2] = 0x20;
    for (const value of [
      Buffer.alloc(0),
      Buffer.from([1]),
      badVersion,
      badIdLength,
      badIdChar,
      sealed.subarray(0, 4 + 12 + 15),
      'not base64url!',
      'AQ==',
      '',
    ]) {
      expect(codeOf(() => openSecret(ringK1, value, aad))).toBe('SEALED_MALFORMED');
    }
  });
});

describe('the compact string form', () => {
  it('is base64url of the bytes and opens like them', () => {
    const sealed = sealSecret(ringK1, password, aad);
    const text = sealedToString(sealed);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(sealedFromString(text).equals(sealed)).toBe(true);
    expect(openSecret(ringK1, text, aad)).toBe(password);
    expect(keyIdOf(text)).toBe('k1');
  });

  it('works on a Uint8Array view into a larger buffer', () => {
    const sealed = sealSecret(ringK1, password, aad);
    const larger = Buffer.concat([Buffer.from('xxxx'), sealed, Buffer.from('yyyy')]);
    const view = new Uint8Array(larger.buffer, larger.byteOffset + 4, sealed.length);
    expect(sealedToString(view)).toBe(sealedToString(sealed));
    expect(openSecret(ringK1, view, aad)).toBe(password);
  });
});

describe('keyIdOf / needsRotation', () => {
  it('reads the key id and tells whether it is the current one', () => {
    const underK1 = sealSecret(ringK1, password, aad);
    const underK2 = sealSecret(ringBoth, password, aad);
    expect(keyIdOf(underK1)).toBe('k1');
    expect(keyIdOf(underK2)).toBe('k2');
    expect(needsRotation(ringBoth, underK1)).toBe(true);
    expect(needsRotation(ringBoth, underK2)).toBe(false);
    expect(needsRotation(ringK1, underK1)).toBe(false);
  });
});

describe('what errors show', () => {
  it('never a plaintext, a key or the ciphertext, in message, String() or JSON', () => {
    const sealed = sealSecret(ringBoth, password, aad);
    const errors: unknown[] = [];
    const attempts = [
      () => openSecret(ringBoth, flipped(sealed, layout.data), aad),
      () => openSecret(ringBoth, sealed, { aad: 'another row' }),
      () => openSecret(ringK1, sealed, aad),
      () => openSecret(ringK1, sealedToString(sealed).slice(1), aad),
    ];
    for (const attempt of attempts) {
      try {
        attempt();
      } catch (error) {
        errors.push(error);
      }
    }
    expect(errors).toHaveLength(attempts.length);
    const forbidden = [
      password,
      k1.toString('base64'),
      k2.toString('base64'),
      k1.toString('hex'),
      k2.toString('hex'),
      sealedToString(sealed),
      sealed.toString('base64'),
    ];
    for (const error of errors) {
      const shown = [
        String(error),
        inspect(error, { depth: Infinity, showHidden: true }),
        JSON.stringify(error),
        (error as Error).stack ?? '',
        JSON.stringify((error as Error).cause ?? null),
      ].join('\n');
      for (const secret of forbidden) expect(shown).not.toContain(secret);
    }
  });
});
