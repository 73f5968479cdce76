// `sipwake keys rotate` on the embedded default's database: no URL, the data folder's PGlite.
import { migrate } from '@sipwake/db';
import {
  generateKeyFile,
  instancePasswordAad,
  keyIdOf,
  loadKeyRing,
  openSecret,
  sealSecret,
} from '@sipwake/secrets';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCommand } from './commands.js';
import { openEmbeddedDatabase } from './run/infrastructure.js';

jest.setTimeout(120_000);

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sipwake-keys-embedded-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function keys(args: readonly string[], env: Record<string, string>) {
  const streams = {
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr: new PassThrough(),
  };
  const out: Buffer[] = [];
  streams.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  const result = await runCommand(['keys', ...args], env, streams);
  if (!('exitCode' in result)) throw new Error('keys commands finish');
  return { exitCode: result.exitCode, out: Buffer.concat(out).toString() };
}

it('rotates the passwords of the embedded database found in the data folder', async () => {
  const file = join(dataDir, 'keys.json');
  await generateKeyFile(file);
  const selector = 'ab'.repeat(20);
  const password = 'embedded rotation secret';
  const db = await openEmbeddedDatabase(dataDir);
  try {
    await migrate(db);
    const sealed = sealSecret(await loadKeyRing(file), password, {
      aad: instancePasswordAad(selector),
    });
    await db.query(
      `INSERT INTO instances (selector, username, auth_username, domain,
         password_ciphertext, password_key_id, token_hash)
       VALUES ($1, 'u', 'u', 'example.test', $2, $3, 'h')`,
      [selector, sealed, keyIdOf(sealed)],
    );
  } finally {
    await db.close();
  }
  expect((await keys(['add', file], {})).exitCode).toBe(0);

  const rotated = await keys(['rotate', '--key-file', file], { SIPWAKE_DATA_DIR: dataDir });
  expect(rotated.exitCode).toBe(0);
  expect(rotated.out).toMatch(/scanned 1, rotated 1, already current 0, failed 0/);
  expect(rotated.out).not.toContain(password);

  const reopened = await openEmbeddedDatabase(dataDir);
  try {
    const { rows } = await reopened.query<{
      password_ciphertext: Uint8Array;
      password_key_id: string;
    }>('SELECT password_ciphertext, password_key_id FROM instances WHERE selector = $1', [
      selector,
    ]);
    expect(rows[0]?.password_key_id).toBe('k2');
    const ring = await loadKeyRing(file);
    expect(
      openSecret(ring, rows[0]!.password_ciphertext, { aad: instancePasswordAad(selector) }),
    ).toBe(password);
  } finally {
    await reopened.close();
  }
});

it('refuses to rotate without a database URL or an embedded database, saying what it needs', async () => {
  await expect(
    keys(['rotate', '--key-file', join(dataDir, 'keys.json')], {
      SIPWAKE_DATA_DIR: join(dataDir, 'nothing-here'),
    }),
  ).rejects.toThrow(/--database-url URL, SIPWAKE_DATABASE_URL, or a data folder/);
});
