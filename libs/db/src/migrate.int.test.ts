import type { Database } from './database.js';
import { DbError } from './errors.js';
import { migrate, pendingMigrations } from './migrate.js';
import { migrations } from './migrations/list.js';
import { openPglite } from './pglite.js';
import { connectPostgres } from './postgres.js';
import { columns, constraints, indexes } from './test-support/schema.js';
import type { ThrowawayDatabase } from './test-support/throwaway.js';
import { createThrowawayDatabase } from './test-support/throwaway.js';

const allNames = migrations.map((m) => m.name);
const tables = ['call_records', 'devices', 'instances', 'messages', 'registrations', 'shard_map'];

async function tableNames(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
  );
  return rows.map((r) => r.table_name);
}

describe('migrate on PostgreSQL and PGlite', () => {
  let scratch: ThrowawayDatabase;
  let pg: Database;
  let lite: Database;

  beforeAll(async () => {
    scratch = await createThrowawayDatabase();
    pg = await connectPostgres({ connectionString: scratch.connectionString });
    lite = await openPglite();
  }, 120_000);

  afterAll(async () => {
    await pg?.close();
    await lite?.close();
    await scratch?.drop();
  });

  it('sees every migration pending on an empty database, without creating anything', async () => {
    expect(await pendingMigrations(pg)).toEqual(allNames);
    expect(await pendingMigrations(lite)).toEqual(allNames);
    expect(await tableNames(pg)).toEqual([]);
    expect(await tableNames(lite)).toEqual([]);
  });

  it('migrates up from empty on both, to the same schema', async () => {
    expect(await migrate(pg)).toEqual({ applied: allNames });
    expect(await migrate(lite)).toEqual({ applied: allNames });
    expect(await tableNames(pg)).toEqual([...tables, 'schema_migrations'].sort());
    expect(await pendingMigrations(pg)).toEqual([]);
    expect(await pendingMigrations(lite)).toEqual([]);

    const pgColumns = await columns(pg);
    expect(pgColumns.length).toBeGreaterThan(50);
    expect(await columns(lite)).toEqual(pgColumns);
    expect(await indexes(lite)).toEqual(await indexes(pg));
    expect(await constraints(lite)).toEqual(await constraints(pg));
  });

  it('records what it applied in schema_migrations', async () => {
    for (const db of [pg, lite]) {
      const { rows } = await db.query<{ name: string; applied_at: Date }>(
        'SELECT name, applied_at FROM schema_migrations ORDER BY name',
      );
      expect(rows.map((r) => r.name)).toEqual(allNames);
      expect(rows[0]!.applied_at).toBeInstanceOf(Date);
    }
  });

  it('applies nothing when run again', async () => {
    expect(await migrate(pg)).toEqual({ applied: [] });
    expect(await migrate(lite)).toEqual({ applied: [] });
  });

  it('applies only the new migration appended to the list', async () => {
    const next = [...migrations, { name: '9999_extra', up: 'CREATE TABLE extra (a int)' }];
    expect(await pendingMigrations(pg, { migrations: next })).toEqual(['9999_extra']);
    expect(await migrate(pg, { migrations: next })).toEqual({ applied: ['9999_extra'] });
    expect(await migrate(lite, { migrations: next })).toEqual({ applied: ['9999_extra'] });
    expect(await tableNames(pg)).toContain('extra');
  });

  it('rolls back the whole run when a migration fails', async () => {
    const broken = [
      ...migrations,
      { name: '9999_extra', up: 'CREATE TABLE extra (a int)' },
      { name: '9999_good', up: 'CREATE TABLE good (a int)' },
      { name: '9999_zbad', up: 'CREATE TABLE bad (a int); SELECT * FROM nowhere' },
    ];
    for (const db of [pg, lite]) {
      const error = await migrate(db, { migrations: broken }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DbError);
      expect((error as DbError).code).toBe('MIGRATION_FAILED');
      expect((error as DbError).sqlState).toBe('42P01');
      expect((error as DbError).message).toContain('9999_zbad');
      const names = await tableNames(db);
      expect(names).not.toContain('good');
      expect(names).not.toContain('bad');
      expect(await pendingMigrations(db, { migrations: broken })).toEqual([
        '9999_good',
        '9999_zbad',
      ]);
    }
  });
});

describe('migrate from several processes at once', () => {
  let scratch: ThrowawayDatabase;
  const pools: Database[] = [];

  beforeAll(async () => {
    scratch = await createThrowawayDatabase();
    for (let i = 0; i < 3; i += 1) {
      pools.push(await connectPostgres({ connectionString: scratch.connectionString, max: 2 }));
    }
  });

  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
    await scratch?.drop();
  });

  it('migrates once: one run applies, the others find nothing pending', async () => {
    const results = await Promise.all(pools.map((db) => migrate(db)));
    const applied = results.map((r) => r.applied);
    expect(applied.filter((names) => names.length > 0)).toEqual([allNames]);
    expect(applied.filter((names) => names.length === 0)).toHaveLength(pools.length - 1);
    const { rows } = await pools[0]!.query<{ n: number }>(
      'SELECT count(*) AS n FROM schema_migrations',
    );
    expect(rows[0]!.n).toBe(allNames.length);
  });
});
