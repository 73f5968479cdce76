import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from './database.js';
import { DbError } from './errors.js';
import { migrate, pendingMigrations } from './migrate.js';
import { openPglite } from './pglite.js';
import { insertInstance, insertInstances, planNodes, randomSelector } from './test-support/rows.js';

async function rejection(promise: Promise<unknown>): Promise<DbError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DbError);
  return error as DbError;
}

describe('openPglite in memory', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
  }, 120_000);

  afterAll(() => db?.close());

  beforeEach(() => db.exec('DELETE FROM instances'));

  it('answers rows and counts like the server driver', async () => {
    const selectors = [randomSelector(), randomSelector()];
    await insertInstances(db, selectors);
    const { rows, rowCount } = await db.query<{ version: number; password_ciphertext: Uint8Array }>(
      'SELECT version, password_ciphertext FROM instances',
    );
    expect(rowCount).toBe(2);
    expect(rows[0]!.version).toBe(1);
    expect(rows[0]!.password_ciphertext).toBeInstanceOf(Uint8Array);
    const updated = await db.query(`UPDATE instances SET version = version + 1`);
    expect(updated.rowCount).toBe(2);
    expect(updated.rows).toEqual([]);
  });

  it('rolls a transaction back on a throw and rethrows the error as it was', async () => {
    const mine = new Error('changed my mind');
    await expect(
      db.transaction(async (tx) => {
        await insertInstance(tx, randomSelector());
        throw mine;
      }),
    ).rejects.toBe(mine);
    expect((await db.query('SELECT 1 FROM instances')).rowCount).toBe(0);
  });

  it('commits a transaction and maps a duplicate key to CONFLICT', async () => {
    const selector = randomSelector();
    expect(await db.transaction(async (tx) => (await insertInstance(tx, selector), 'ok'))).toBe(
      'ok',
    );
    const error = await rejection(insertInstance(db, selector));
    expect(error.code).toBe('CONFLICT');
    expect(error.sqlState).toBe('23505');
    expect(error.constraint).toBe('instances_pkey');
    expect((await rejection(db.query('SELEC 1'))).code).toBe('QUERY_FAILED');
  });

  it('reads the instances of prefix 4/2 with a range scan of the selector key', async () => {
    await insertInstances(
      db,
      Array.from({ length: 500 }, () => randomSelector()),
    );
    await db.exec('ANALYZE instances');
    const nodes = await db.transaction(async (tx) => {
      await tx.exec('SET LOCAL enable_seqscan = off');
      return planNodes(
        tx,
        `SELECT selector FROM instances WHERE selector >= '4' AND selector < '8'`,
      );
    });
    expect(nodes.map((n) => n['Node Type'])).not.toContain('Seq Scan');
    expect(nodes.map((n) => n['Index Name'])).toContain('instances_pkey');
  });
});

describe('openPglite with a data directory', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sipwake-pglite-'));
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps the schema and rows between openings', async () => {
    const selector = randomSelector();
    const first = await openPglite({ dataDir: dir });
    try {
      await migrate(first);
      await insertInstance(first, selector);
    } finally {
      await first.close();
    }
    expect((await rejection(first.ping())).code).toBe('CLOSED');

    const second = await openPglite({ dataDir: dir });
    try {
      expect(await pendingMigrations(second)).toEqual([]);
      expect(await migrate(second)).toEqual({ applied: [] });
      const { rows } = await second.query<{ selector: string }>('SELECT selector FROM instances');
      expect(rows).toEqual([{ selector }]);
    } finally {
      await second.close();
    }
  }, 180_000);
});
