import { connectPostgres, migrate, type Database } from '@sipwake/db';
import {
  instancePasswordAad,
  keyIdOf,
  loadKeyRing,
  openSecret,
  sealSecret,
  SecretsError,
} from '@sipwake/secrets';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCommand } from './commands.js';
import { CliError } from './errors.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@sipwake/testkit';

jest.setTimeout(60_000);

interface Captured {
  readonly stdin: PassThrough;
  readonly stdout: PassThrough;
  readonly stderr: PassThrough;
  out(): string;
  err(): string;
}

/** Every byte any command printed in this file, checked at the end for secrets. */
const printed: string[] = [];

function io(): Captured {
  const collect = (stream: PassThrough): (() => string) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      printed.push(chunk.toString());
    });
    return () => Buffer.concat(chunks).toString();
  };
  const stdin = new PassThrough();
  stdin.end();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  return { stdin, stdout, stderr, out: collect(stdout), err: collect(stderr) };
}

async function keys(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ exitCode: number; out: string; err: string }> {
  const streams = io();
  const result = await runCommand(['keys', ...args], env, streams);
  if (!('exitCode' in result)) throw new Error('keys commands finish');
  return { exitCode: result.exitCode, out: streams.out(), err: streams.err() };
}

async function failure(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<unknown> {
  try {
    await keys(args, env);
  } catch (error) {
    if (error instanceof Error) printed.push(error.message);
    return error;
  }
  throw new Error(`keys ${args.join(' ')} did not fail`);
}

const passwords = ['correct horse battery', 'p@ss-w0rd-two', 'third secret', 'vier', 'fünf!'];
const selectorOf = (i: number): string => createHash('sha1').update(`instance-${i}`).digest('hex');

describe('sipwake keys', () => {
  let dir: string;
  let file: string;
  let throwaway: ThrowawayDatabase;
  let db: Database;
  const keyMaterial: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sipwake-keys-'));
    file = join(dir, 'keys.json');
    throwaway = await createThrowawayDatabase();
    db = await connectPostgres({ connectionString: throwaway.connectionString, max: 2 });
    await migrate(db);
  });

  afterAll(async () => {
    await db?.close();
    await throwaway?.drop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const rememberKeys = async (): Promise<void> => {
    const content = JSON.parse(await readFile(file, 'utf8')) as { keys: Record<string, string> };
    keyMaterial.push(...Object.values(content.keys));
  };

  it('refuses bad arguments with usage errors', async () => {
    const cases: string[][] = [
      ['generate'],
      ['generate', 'a', 'b'],
      ['generate', file, '--bogus'],
      ['add'],
      ['rotate'],
      ['rotate', '--key-file'],
      ['rotate', '--key-file', file, 'extra'],
      ['rotate', '--key-file', file],
      ['rotate', '--key-file', file, '--database-url', 'postgres://x', '--batch-size', '0'],
      ['remove', file],
      ['remove', file, 'k1', 'k2'],
      ['frobnicate'],
    ];
    for (const args of cases) {
      const error = await failure(args);
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).code).toBe('USAGE');
    }
  });

  it('generates, adds, rotates every instance password, then removes the old key', async () => {
    const generated = await keys(['generate', file]);
    expect(generated.exitCode).toBe(0);
    expect(generated.out).toMatch(/key k1/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await rememberKeys();

    const again = await failure(['generate', file]);
    expect(again).toBeInstanceOf(SecretsError);
    expect((again as SecretsError).code).toBe('KEY_FILE_EXISTS');

    const oldRing = await loadKeyRing(file);
    for (const [i, password] of passwords.entries()) {
      const selector = selectorOf(i);
      const sealed = sealSecret(oldRing, password, { aad: instancePasswordAad(selector) });
      await db.query(
        `INSERT INTO instances (selector, username, auth_username, domain,
           password_ciphertext, password_key_id, token_hash)
         VALUES ($1, $2, $2, 'example.test', $3, $4, 'h')`,
        [selector, `user${i}`, sealed, keyIdOf(sealed)],
      );
    }

    // The current key is never removed.
    const current = await failure(['remove', file, 'k1']);
    expect((current as SecretsError).code).toBe('KEY_IN_USE');

    const added = await keys(['add', file]);
    expect(added.exitCode).toBe(0);
    expect(added.out).toMatch(/added key k2 .*current k2; keys k1, k2/);
    await rememberKeys();

    // Rows are still sealed under k1: removing it is refused.
    const inUse = await failure([
      'remove',
      file,
      'k1',
      '--database-url',
      throwaway.connectionString,
    ]);
    expect(inUse).toBeInstanceOf(CliError);
    expect((inUse as CliError).code).toBe('REFUSED');
    expect((inUse as CliError).message).toMatch(/5 instance password/);
    expect((await loadKeyRing(file)).keyIds).toEqual(['k1', 'k2']);

    const rotated = await keys(['rotate', '--key-file', file, '--batch-size', '2'], {
      SIPWAKE_DATABASE_URL: throwaway.connectionString,
    });
    expect(rotated.exitCode).toBe(0);
    expect(rotated.err.trim().split('\n')).toHaveLength(3); // 2 + 2 + 1 rows
    expect(rotated.out).toMatch(
      /to key k2 complete: scanned 5, rotated 5, already current 0, failed 0\n$/,
    );

    const ring = await loadKeyRing(file);
    const { rows } = await db.query<{
      selector: string;
      password_ciphertext: Uint8Array;
      password_key_id: string;
    }>('SELECT selector, password_ciphertext, password_key_id FROM instances ORDER BY selector');
    expect(rows).toHaveLength(passwords.length);
    for (const [i, password] of passwords.entries()) {
      const row = rows.find((r) => r.selector === selectorOf(i))!;
      expect(row.password_key_id).toBe('k2');
      expect(keyIdOf(row.password_ciphertext)).toBe('k2');
      const aad = { aad: instancePasswordAad(row.selector) };
      expect(openSecret(ring, row.password_ciphertext, aad)).toBe(password);
    }

    const rerun = await keys([
      'rotate',
      '--key-file',
      file,
      '--database-url',
      throwaway.connectionString,
    ]);
    expect(rerun.exitCode).toBe(0);
    expect(rerun.out).toMatch(/scanned 5, rotated 0, already current 5, failed 0/);

    const removed = await keys([
      'remove',
      file,
      'k1',
      '--database-url',
      throwaway.connectionString,
    ]);
    expect(removed.exitCode).toBe(0);
    expect(removed.out).toMatch(/removed key k1 .*current k2; keys k2/);
    expect((await loadKeyRing(file)).keyIds).toEqual(['k2']);
  });

  it('counts a row that does not open as failed and exits 1', async () => {
    const ring = await loadKeyRing(file);
    const selector = selectorOf(99);
    // Sealed for another selector: the AAD does not match this row.
    const sealed = sealSecret(ring, 'misplaced secret', {
      aad: instancePasswordAad(selectorOf(98)),
    });
    await db.query(
      `INSERT INTO instances (selector, username, auth_username, domain,
         password_ciphertext, password_key_id, token_hash)
       VALUES ($1, 'u', 'u', 'example.test', $2, 'k2', 'h')`,
      [selector, sealed],
    );
    await keys(['add', file, '--id', 'k3']);
    await rememberKeys();
    const result = await keys(['rotate', '--key-file', file], {
      SIPWAKE_DATABASE_URL: throwaway.connectionString,
    });
    expect(result.exitCode).toBe(1);
    expect(result.out).toMatch(/scanned 6, rotated 5, already current 0, failed 1/);
    expect(result.out).toContain(`failed: instance ${selector} (DECRYPT_FAILED)`);
  });

  it('prints no key material and no password', () => {
    expect(keyMaterial.length).toBeGreaterThanOrEqual(3);
    const all = printed.join('\n');
    expect(all.length).toBeGreaterThan(0);
    for (const secret of [...keyMaterial, ...passwords, 'misplaced secret']) {
      expect(all).not.toContain(secret);
    }
  });
});
