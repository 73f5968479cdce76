import type { Database } from './database.js';
import { DbError } from './errors.js';
import { connectPostgres } from './postgres.js';
import { closedPort } from './test-support/closed-port.js';
import type { ThrowawayDatabase } from './test-support/throwaway.js';
import { createThrowawayDatabase } from './test-support/throwaway.js';

let scratch: ThrowawayDatabase;
let db: Database;

beforeAll(async () => {
  scratch = await createThrowawayDatabase();
  db = await connectPostgres({ connectionString: scratch.connectionString, max: 4 });
  await db.exec(`
    CREATE TABLE t (k text PRIMARY KEY, n bigint NOT NULL, b bytea, CHECK (n >= 0));
    CREATE TABLE child (k text REFERENCES t (k));
  `);
});

afterAll(async () => {
  await db?.close();
  await scratch?.drop();
});

beforeEach(() => db.exec('DELETE FROM child; DELETE FROM t'));

async function rejection(promise: Promise<unknown>): Promise<DbError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DbError);
    return error as DbError;
  }
  throw new Error('expected a rejection');
}

describe('connectPostgres', () => {
  it('answers rows and counts, int8 as a number and bytea as bytes', async () => {
    const inserted = await db.query(
      "INSERT INTO t VALUES ('a', 9007199254740991, '\\x0102'), ('b', 2, NULL)",
    );
    expect(inserted.rowCount).toBe(2);
    const { rows, rowCount } = await db.query<{ k: string; n: number; b: Uint8Array | null }>(
      'SELECT k, n, b FROM t WHERE n > $1 ORDER BY k',
      [1],
    );
    expect(rowCount).toBe(2);
    expect(rows[0]).toEqual({ k: 'a', n: Number.MAX_SAFE_INTEGER, b: expect.any(Uint8Array) });
    expect([...rows[0]!.b!]).toEqual([1, 2]);
    expect(rows[1]!.b).toBeNull();
  });

  it('commits a transaction and returns its value', async () => {
    const value = await db.transaction(async (tx) => {
      await tx.query("INSERT INTO t VALUES ('a', 1)");
      await tx.query("INSERT INTO child VALUES ('a')");
      return 'done';
    });
    expect(value).toBe('done');
    expect((await db.query('SELECT * FROM child')).rowCount).toBe(1);
  });

  it('rolls a transaction back on a throw and rethrows the error as it was', async () => {
    const mine = new Error('changed my mind');
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES ('a', 1)");
        throw mine;
      }),
    ).rejects.toBe(mine);
    expect((await db.query('SELECT * FROM t')).rowCount).toBe(0);
  });

  it('rolls back when a statement fails inside the transaction, and the pool stays usable', async () => {
    const error = await rejection(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES ('a', 1)");
        await tx.query("INSERT INTO t VALUES ('a', 2)");
      }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.constraint).toBe('t_pkey');
    expect(error.sqlState).toBe('23505');
    expect((await db.query('SELECT * FROM t')).rowCount).toBe(0);
    // Every connection of the pool still works (none was left inside an aborted transaction).
    await Promise.all(Array.from({ length: 8 }, () => db.ping()));
  });

  it('maps constraint and statement failures to their codes', async () => {
    expect((await rejection(db.query("INSERT INTO child VALUES ('nobody')"))).code).toBe(
      'CONSTRAINT',
    );
    expect((await rejection(db.query("INSERT INTO t VALUES ('x', -1)"))).code).toBe('CONSTRAINT');
    const bad = await rejection(db.query('SELEC 1'));
    expect(bad.code).toBe('QUERY_FAILED');
    expect(bad.retryable).toBe(false);
    expect(bad.sqlState).toBe('42601');
  });

  it('cancels a statement past statementTimeoutMs as a retryable TIMEOUT', async () => {
    const quick = await connectPostgres({
      connectionString: scratch.connectionString,
      statementTimeoutMs: 50,
      max: 1,
    });
    try {
      const error = await rejection(quick.query('SELECT pg_sleep(5)'));
      expect(error.code).toBe('TIMEOUT');
      expect(error.retryable).toBe(true);
      await quick.ping();
    } finally {
      await quick.close();
    }
  });

  it('reports a closed port as a retryable UNAVAILABLE without the password', async () => {
    const port = await closedPort();
    const connectionString = `postgres://postgres:hunter2secret@127.0.0.1:${port}/postgres`;
    const error = await rejection(connectPostgres({ connectionString }));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(error.message).not.toContain('hunter2secret');

    const lazy = await connectPostgres({ host: '127.0.0.1', port, user: 'postgres', lazy: true });
    try {
      expect((await rejection(lazy.ping())).code).toBe('UNAVAILABLE');
      expect((await rejection(lazy.transaction(async () => 1))).code).toBe('UNAVAILABLE');
    } finally {
      await lazy.close();
    }
  });

  it('reports a connection terminated by the server as UNAVAILABLE, then reconnects', async () => {
    const own = await connectPostgres({ connectionString: scratch.connectionString, max: 1 });
    try {
      const pid = (await own.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const killed = own.query('SELECT pg_sleep(5)');
      const outcome = rejection(killed);
      // Wait until the sleeping statement is seen running, then end its backend.
      for (let i = 0; i < 200; i += 1) {
        const active = await db.query(
          "SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active'",
          [pid],
        );
        if (active.rowCount === 1) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      await db.query('SELECT pg_terminate_backend($1)', [pid]);
      const error = await outcome;
      expect(error.code).toBe('UNAVAILABLE');
      expect(error.retryable).toBe(true);
      await own.ping();
    } finally {
      await own.close();
    }
  });

  it('reports an idle connection the server ended to the logger, and goes on', async () => {
    let reported: (value: object) => void = () => undefined;
    const warned = new Promise<object>((resolve) => (reported = resolve));
    const log = { warn: (obj: object) => reported(obj), info: () => undefined };
    const applicationName = `sipwake_idle_${process.pid}`;
    const own = await connectPostgres({
      connectionString: scratch.connectionString,
      max: 1,
      applicationName,
      log,
    });
    try {
      // connectPostgres pinged: one idle connection is in the pool now.
      await db.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [applicationName],
      );
      expect(await warned).toEqual({ code: 'UNAVAILABLE', err: expect.any(String) });
      await own.ping();
    } finally {
      await own.close();
    }
  });

  it('survives the server ending a connection while a transaction waits between statements', async () => {
    let reported: (value: object) => void = () => undefined;
    const warned = new Promise<object>((resolve) => (reported = resolve));
    const log = { warn: (obj: object) => reported(obj), info: () => undefined };
    const own = await connectPostgres({ connectionString: scratch.connectionString, max: 1, log });
    try {
      const error = await rejection(
        own.transaction(async (tx) => {
          const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await db.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
          // The transaction's connection is gone while this function is between statements.
          await warned;
          await tx.query('SELECT 1');
        }),
      );
      expect(error.code).toBe('UNAVAILABLE');
      await own.ping();
    } finally {
      await own.close();
    }
  });

  it('refuses calls after close with CLOSED, and closes twice quietly', async () => {
    const other = await connectPostgres({ connectionString: scratch.connectionString });
    await other.close();
    await other.close();
    expect((await rejection(other.query('SELECT 1'))).code).toBe('CLOSED');
  });

  it('refuses options that cannot work, naming the key', async () => {
    const noTarget = await rejection(connectPostgres({}));
    expect(noTarget.code).toBe('BAD_OPTIONS');
    expect(noTarget.message).toContain('connectionString');
    const badMax = await rejection(connectPostgres({ host: '127.0.0.1', max: 0 }));
    expect(badMax.message).toContain('max');
  });
});
