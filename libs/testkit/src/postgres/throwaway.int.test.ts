import pg from 'pg';
import { createThrowawayDatabase } from './throwaway.js';

it('creates a database that takes connections, and drops it with its connections', async () => {
  const db = await createThrowawayDatabase({ tag: 'testkit' });
  const client = new pg.Client({ connectionString: db.connectionString });
  client.on('error', () => undefined);
  await client.connect();
  const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name');
  expect(rows[0]?.name).toBe(db.name);
  await db.drop();
  await db.drop();
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  try {
    const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name]);
    expect(left.rowCount).toBe(0);
  } finally {
    await admin.end();
    await client.end().catch(() => undefined);
  }
});
