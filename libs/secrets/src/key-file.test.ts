import { randomBytes } from 'node:crypto';
import {
  chmod,
  chown,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { SecretsError } from './errors.js';
import { addKey, generateKeyFile, loadKeyRing, removeKey } from './key-file.js';
import { openSecret, sealSecret } from './sealed.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sipwake-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');

async function keyFile(content: unknown, mode = 0o600, name = 'keys.json'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  await chmod(path, mode);
  return path;
}

async function failure(promise: Promise<unknown>): Promise<SecretsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SecretsError) return error;
    throw error;
  }
  throw new Error('expected a SecretsError');
}

/** An error an operator reads: names the file, never shows a key. */
function expectSafe(error: SecretsError, path: string, keys: readonly string[] = [keyA, keyB]) {
  const shown = [String(error), inspect(error), JSON.stringify(error), error.stack ?? ''].join(
    '\n',
  );
  expect(error.message).toContain(path);
  for (const key of keys) expect(shown).not.toContain(key);
}

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

async function readJson(path: string): Promise<{ current: string; keys: Record<string, string> }> {
  return JSON.parse(await readFile(path, 'utf8')) as {
    current: string;
    keys: Record<string, string>;
  };
}

describe('generateKeyFile', () => {
  it('writes one fresh 32-byte key, current, mode 0600, in the documented shape', async () => {
    const path = join(dir, 'keys.json');
    const change = await generateKeyFile(path);
    expect(change).toEqual({ path, keyId: 'k1', currentKeyId: 'k1', keyIds: ['k1'] });
    expect(await modeOf(path)).toBe(0o600);
    const json = await readJson(path);
    expect(Object.keys(json)).toEqual(['version', 'current', 'keys']);
    expect(json.current).toBe('k1');
    expect(Buffer.from(json.keys.k1!, 'base64')).toHaveLength(32);
    const ring = await loadKeyRing(path);
    expect(ring.keyIds).toEqual(['k1']);
    expect(await readdir(dir)).toEqual(['keys.json']);
  });

  it('takes the key id to use', async () => {
    const path = join(dir, 'keys.json');
    await generateKeyFile(path, { id: '2026-11' });
    expect((await loadKeyRing(path)).currentKeyId).toBe('2026-11');
  });

  it('never overwrites an existing file (KEY_FILE_EXISTS) and leaves no temporary file', async () => {
    const path = join(dir, 'keys.json');
    await generateKeyFile(path);
    const before = await readFile(path, 'utf8');
    const error = await failure(generateKeyFile(path));
    expect(error.code).toBe('KEY_FILE_EXISTS');
    expectSafe(error, path, [before]);
    expect(await readFile(path, 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual(['keys.json']);
  });

  it('answers KEY_FILE_WRITE_FAILED when the directory does not exist', async () => {
    const path = join(dir, 'nowhere', 'keys.json');
    const error = await failure(generateKeyFile(path));
    expect(error.code).toBe('KEY_FILE_WRITE_FAILED');
    expect(error.message).toContain(path);
  });
});

describe('addKey / removeKey', () => {
  it('adds a key that becomes current and keeps the old one: old secrets still open', async () => {
    const path = join(dir, 'keys.json');
    await generateKeyFile(path);
    const first = await loadKeyRing(path);
    const aad = { aad: 'row-1' };
    const sealed = sealSecret(first, 'hunter2', aad);
    const k1 = (await readJson(path)).keys.k1;

    const change = await addKey(path);
    expect(change).toMatchObject({ keyId: 'k2', currentKeyId: 'k2', keyIds: ['k1', 'k2'] });
    expect(await modeOf(path)).toBe(0o600);
    const json = await readJson(path);
    expect(json.keys.k1).toBe(k1);
    expect(json.keys.k2).not.toBe(k1);
    const second = await loadKeyRing(path);
    expect(second.currentKeyId).toBe('k2');
    expect(openSecret(second, sealed, aad)).toBe('hunter2');
    expect((await addKey(path)).keyId).toBe('k3');
    expect(await readdir(dir)).toEqual(['keys.json']);
  });

  it('replaces the file atomically: readers during ten additions always load a whole ring', async () => {
    const path = join(dir, 'keys.json');
    await generateKeyFile(path);
    let writing = true;
    const seen = new Set<number>();
    const reader = (async () => {
      let loads = 0;
      while (writing && loads < 10_000) {
        const ring = await loadKeyRing(path);
        expect(ring.currentKeyId).toBe(ring.keyIds[ring.keyIds.length - 1]);
        seen.add(ring.keyIds.length);
        loads += 1;
      }
      return loads;
    })();
    try {
      for (let i = 0; i < 10; i++) await addKey(path);
    } finally {
      writing = false;
    }
    expect(await reader).toBeGreaterThan(0);
    expect((await loadKeyRing(path)).keyIds).toHaveLength(11);
    expect(await readdir(dir)).toEqual(['keys.json']);
  });

  (process.getuid?.() === 0 ? it : it.skip)('keeps the file’s owner when run as root', async () => {
    const path = await keyFile({ version: 1, current: 'k1', keys: { k1: keyA } });
    await chown(path, 4321, 4322);
    await addKey(path);
    const after = await stat(path);
    expect([after.uid, after.gid]).toEqual([4321, 4322]);
  });

  it('takes a key id, and refuses one already there with KEY_ID_TAKEN', async () => {
    const path = join(dir, 'keys.json');
    await generateKeyFile(path);
    expect((await addKey(path, { id: 'spring' })).currentKeyId).toBe('spring');
    expect((await failure(addKey(path, { id: 'k1' }))).code).toBe('KEY_ID_TAKEN');
    expect((await failure(addKey(path, { id: 'bad id' }))).code).toBe('KEY_INVALID');
  });

  it('refuses to add to a key file others can read, and leaves it unchanged', async () => {
    const path = await keyFile({ version: 1, current: 'k1', keys: { k1: keyA } }, 0o644);
    const error = await failure(addKey(path));
    expect(error.code).toBe('KEY_FILE_PERMISSIONS');
    expect((await readJson(path)).keys).toEqual({ k1: keyA });
  });

  it('keeps group read when the file had it and it is allowed', async () => {
    const path = await keyFile({ version: 1, current: 'k1', keys: { k1: keyA } }, 0o640);
    await addKey(path, { allowGroupRead: true });
    expect(await modeOf(path)).toBe(0o640);
  });

  it('removes a retired key but never the current one', async () => {
    const path = await keyFile({ version: 1, current: 'k2', keys: { k1: keyA, k2: keyB } });
    expect((await failure(removeKey(path, 'k2'))).code).toBe('KEY_IN_USE');
    expect((await failure(removeKey(path, 'k7'))).code).toBe('UNKNOWN_KEY_ID');
    expect(await removeKey(path, 'k1')).toMatchObject({ keyIds: ['k2'], currentKeyId: 'k2' });
    expect((await readJson(path)).keys).toEqual({ k2: keyB });
    expect(await modeOf(path)).toBe(0o600);
  });
});

describe('loadKeyRing refuses a bad key file with a code and a message naming it', () => {
  it('KEY_FILE_MISSING when there is no file', async () => {
    const path = join(dir, 'absent.json');
    const error = await failure(loadKeyRing(path));
    expect(error).toMatchObject({ code: 'KEY_FILE_MISSING', path });
    expectSafe(error, path);
  });

  it('KEY_FILE_UNREADABLE when the path is a directory', async () => {
    const path = join(dir, 'keys.d');
    await mkdir(path);
    const error = await failure(loadKeyRing(path));
    expect(error.code).toBe('KEY_FILE_UNREADABLE');
    expectSafe(error, path);
  });

  it.each([
    [0o644, 'world-readable'],
    [0o604, 'world-readable only'],
    [0o640, 'group-readable'],
    [0o660, 'group-writable'],
  ])('KEY_FILE_PERMISSIONS for mode %s (%s), telling how to fix it', async (mode) => {
    const path = await keyFile({ version: 1, current: 'k1', keys: { k1: keyA } }, mode);
    const error = await failure(loadKeyRing(path));
    expect(error.code).toBe('KEY_FILE_PERMISSIONS');
    expect(error.message).toContain(mode.toString(8));
    expect(error.message).toContain(`chmod 0600 ${path}`);
    expectSafe(error, path);
  });

  it('accepts group read with allowGroupRead, never world read', async () => {
    const path = await keyFile({ version: 1, current: 'k1', keys: { k1: keyA } }, 0o640);
    expect((await loadKeyRing(path, { allowGroupRead: true })).keyIds).toEqual(['k1']);
    await chmod(path, 0o644);
    expect((await failure(loadKeyRing(path, { allowGroupRead: true }))).code).toBe(
      'KEY_FILE_PERMISSIONS',
    );
    await chmod(path, 0o400);
    expect((await loadKeyRing(path)).keyIds).toEqual(['k1']);
  });

  it.each<[string, unknown]>([
    ['not JSON (quoting none of it)', `{"version":1,"current":"k1","keys":{"k1":"${keyA}"`],
    ['a JSON array', [keyA]],
    ['without a version', { current: 'k1', keys: { k1: keyA } }],
    ['of another version', { version: 2, current: 'k1', keys: { k1: keyA } }],
    ['without keys', { version: 1, current: 'k1' }],
    ['with no keys', { version: 1, current: 'k1', keys: {} }],
    ['with keys as a list', { version: 1, current: 'k1', keys: [keyA] }],
    ['without current', { version: 1, keys: { k1: keyA } }],
  ])('KEY_FILE_INVALID for a file %s', async (_what, content) => {
    const path = await keyFile(content);
    const error = await failure(loadKeyRing(path));
    expect(error.code).toBe('KEY_FILE_INVALID');
    expect(error.cause).toBeUndefined();
    expectSafe(error, path);
  });

  it.each<[string, unknown, string]>([
    ['31 bytes', randomBytes(31).toString('base64'), 'k1'],
    ['33 bytes', randomBytes(33).toString('base64'), 'k1'],
    ['hex instead of base64', randomBytes(32).toString('hex'), 'k1'],
    ['a number', 12345, 'k1'],
    ['base64url', 'A_-' + keyA.slice(3), 'k1'],
  ])('KEY_INVALID for a key of %s, naming the key id', async (_what, bad, keyId) => {
    const path = await keyFile({ version: 1, current: 'k2', keys: { k2: keyA, [keyId]: bad } });
    const error = await failure(loadKeyRing(path));
    expect(error).toMatchObject({ code: 'KEY_INVALID', keyId });
    expectSafe(error, path, [keyA, String(bad)]);
  });

  it('KEY_INVALID for a malformed key id', async () => {
    const path = await keyFile({ version: 1, current: 'k1', keys: { k1: keyA, 'a/b': keyB } });
    const error = await failure(loadKeyRing(path));
    expect(error.code).toBe('KEY_INVALID');
    expectSafe(error, path);
  });

  it('CURRENT_KEY_UNKNOWN when current names no key, listing the ids there are', async () => {
    const path = await keyFile({ version: 1, current: 'k3', keys: { k1: keyA, k2: keyB } });
    const error = await failure(loadKeyRing(path));
    expect(error.code).toBe('CURRENT_KEY_UNKNOWN');
    expect(error.message).toBe(
      `key file ${path}: the current key k3 is not among its keys (k1, k2)`,
    );
    expectSafe(error, path);
  });

  it('reads a valid file written by hand', async () => {
    const path = await keyFile({ version: 1, current: 'k2', keys: { k1: keyA, k2: keyB } });
    const ring = await loadKeyRing(path);
    expect(ring).toMatchObject({ currentKeyId: 'k2', keyIds: ['k1', 'k2'], source: path });
  });
});
