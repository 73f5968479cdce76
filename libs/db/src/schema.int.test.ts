import type { Database } from './database.js';
import { DbError } from './errors.js';
import { migrate } from './migrate.js';
import { connectPostgres } from './postgres.js';
import { prefixRange } from './prefix-range.js';
import { insertInstance, insertInstances, planNodes, randomSelector } from './test-support/rows.js';
import type { ThrowawayDatabase } from './test-support/throwaway.js';
import { createThrowawayDatabase } from './test-support/throwaway.js';

let scratch: ThrowawayDatabase;
let db: Database;

beforeAll(async () => {
  // A linguistic default collation: the selector key must not depend on the database's.
  scratch = await createThrowawayDatabase({ icuLocale: 'en-US' });
  db = await connectPostgres({ connectionString: scratch.connectionString });
  await migrate(db);
});

afterAll(async () => {
  await db?.close();
  await scratch?.drop();
});

beforeEach(() => db.exec('DELETE FROM instances; DELETE FROM shard_map'));

async function code(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DbError);
  return (error as DbError).code;
}

describe('schema 0001_initial on PostgreSQL', () => {
  it('reads the instances of prefix 4/2 with a range scan of the selector key', async () => {
    await insertInstances(
      db,
      Array.from({ length: 2000 }, () => randomSelector()),
    );
    await db.exec('ANALYZE instances');
    const { from, to } = prefixRange('4', 2);
    const sql = `SELECT selector FROM instances WHERE selector >= '${from}' AND selector < '${to}'`;
    const nodes = await db.transaction(async (tx) => {
      await tx.exec('SET LOCAL enable_seqscan = off');
      return planNodes(tx, sql);
    });
    const types = nodes.map((n) => n['Node Type']);
    expect(types).not.toContain('Seq Scan');
    const scan = nodes.find((n) => n['Index Name'] === 'instances_pkey');
    expect(scan).toBeDefined();
    expect(['Index Scan', 'Index Only Scan', 'Bitmap Index Scan']).toContain(scan!['Node Type']);
    expect(scan!['Index Cond']).toContain(`selector >= '4'`);
    expect(scan!['Index Cond']).toContain(`selector < '8'`);

    // And the range holds exactly the selectors that start with 4…7.
    const inRange = await db.query<{ selector: string }>(sql);
    const all = await db.query<{ selector: string }>('SELECT selector FROM instances');
    const expected = all.rows.map((r) => r.selector).filter((s) => /^[4-7]/.test(s));
    expect(inRange.rows.map((r) => r.selector).sort()).toEqual(expected.sort());
    expect(expected.length).toBeGreaterThan(0);
  });

  it('pages through a prefix with parameters, the upper bound "g" past every selector', async () => {
    const selectors = Array.from({ length: 40 }, () => 'c' + randomSelector().slice(1));
    await insertInstances(db, [...selectors, '8' + randomSelector().slice(1)]);
    const range = prefixRange('c', 2);
    expect(range.to).toBeUndefined();
    const seen: string[] = [];
    let last = '';
    for (let page = 0; page < 10; page += 1) {
      const { rows } = await db.query<{ selector: string }>(
        `SELECT selector FROM instances WHERE selector >= $1 AND selector < $2 AND selector > $3
         ORDER BY selector LIMIT 15`,
        [range.from, range.to ?? 'g', last],
      );
      if (rows.length === 0) break;
      seen.push(...rows.map((r) => r.selector));
      last = rows[rows.length - 1]!.selector;
    }
    expect(seen).toEqual([...selectors].sort());
  });

  it('runs on a database whose default collation is not C', async () => {
    const { rows } = await db.query<{ provider: string }>(
      'SELECT datlocprovider AS provider FROM pg_database WHERE datname = current_database()',
    );
    expect(rows[0]!.provider).toBe('i');
  });

  it('sorts selectors in hex order', async () => {
    const selectors = ['f', 'a', '9', '0'].map((d) => d + randomSelector().slice(1));
    await insertInstances(db, selectors);
    const { rows } = await db.query<{ selector: string }>(
      'SELECT selector FROM instances ORDER BY selector',
    );
    expect(rows.map((r) => r.selector)).toEqual([...selectors].sort());
  });

  it('refuses a selector that is not 40 lowercase hex digits', async () => {
    expect(await code(insertInstance(db, 'ABC'))).toBe('CONSTRAINT');
    expect(await code(insertInstance(db, randomSelector().toUpperCase()))).toBe('CONSTRAINT');
  });

  it('deletes devices, registration, messages and call records with their instance', async () => {
    const selector = randomSelector();
    await db.transaction(async (tx) => {
      await insertInstance(tx, selector);
      await tx.query(
        `INSERT INTO devices (selector, device_id, app_id, platform, push_provider, push_token)
         VALUES ($1, 'd1', 'app', 'ios', 'apns', 'tok')`,
        [selector],
      );
      await tx.query(
        `INSERT INTO registrations (selector, status, call_id, cseq, last_code)
         VALUES ($1, 'registered', 'c@h', 4294967295, 200)`,
        [selector],
      );
      await tx.query(
        `INSERT INTO messages (selector, from_uri, to_uri, content_type, body)
         VALUES ($1, 'sip:a@x', 'sip:b@x', 'text/plain', '\\x6869')`,
        [selector],
      );
      await tx.query(
        `INSERT INTO call_records (selector, call_id, started_at) VALUES ($1, 'call-1', now())`,
        [selector],
      );
    });
    await db.query('DELETE FROM instances WHERE selector = $1', [selector]);
    for (const table of ['devices', 'registrations', 'messages', 'call_records']) {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
      expect({ table, n: rows[0]!.n }).toEqual({ table, n: 0 });
    }
  });

  it('checks the values an operator relies on', async () => {
    const selector = randomSelector();
    await insertInstance(db, selector);
    const device = (provider: string, presence: string) =>
      db.query(
        `INSERT INTO devices (selector, device_id, app_id, platform, push_provider, push_token, presence)
         VALUES ($1, $2, 'app', 'android', $3, 'tok', $4)`,
        [selector, randomSelector(), provider, presence],
      );
    expect(await code(device('webpush', 'background'))).toBe('CONSTRAINT');
    expect(await code(device('fcm', 'asleep'))).toBe('CONSTRAINT');
    await device('fcm', 'foreground');
    expect(
      await code(
        db.query(
          `INSERT INTO registrations (selector, status, cseq) VALUES ($1, 'registered', $2)`,
          [selector, 4294967296],
        ),
      ),
    ).toBe('CONSTRAINT');
    expect(
      await code(
        db.query(`UPDATE instances SET mode = 'sometimes' WHERE selector = $1`, [selector]),
      ),
    ).toBe('CONSTRAINT');
    expect(
      await code(
        db.query(`UPDATE instances SET state = 'Registered' WHERE selector = $1`, [selector]),
      ),
    ).toBe('CONSTRAINT');
  });

  it('keeps at most one active shard map', async () => {
    const shards = JSON.stringify([{ name: 'a', prefixes: ['0/0'] }]);
    await db.query('INSERT INTO shard_map (version, shards, active) VALUES (1, $1, true)', [
      shards,
    ]);
    await db.query('INSERT INTO shard_map (version, shards) VALUES (2, $1)', [shards]);
    expect(await code(db.query('UPDATE shard_map SET active = true WHERE version = 2'))).toBe(
      'CONFLICT',
    );
    const { rows } = await db.query<{ version: number; shards: unknown }>(
      'SELECT version, shards FROM shard_map WHERE active',
    );
    expect(rows).toEqual([{ version: 1, shards: [{ name: 'a', prefixes: ['0/0'] }] }]);
  });

  it('finds the unacknowledged messages of a selector through the partial index', async () => {
    const selector = randomSelector();
    await insertInstance(db, selector);
    await db.query(
      `INSERT INTO messages (selector, from_uri, to_uri, content_type, body, acked_at)
       VALUES ($1, 'a', 'b', 't', '\\x00', now()), ($1, 'a', 'b', 't', '\\x01', NULL)`,
      [selector],
    );
    const sql = `SELECT id FROM messages WHERE selector = '${selector}' AND acked_at IS NULL ORDER BY received_at`;
    const nodes = await db.transaction(async (tx) => {
      await tx.exec('SET LOCAL enable_seqscan = off');
      return planNodes(tx, sql);
    });
    expect(nodes.map((n) => n['Index Name'])).toContain('messages_unacked_idx');
    const { rows } = await db.query(sql);
    expect(rows).toHaveLength(1);
  });
});
