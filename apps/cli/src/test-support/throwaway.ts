// A throw-away database on the local PostgreSQL (127.0.0.1:5432, trust auth) for one test file:
// created with a random name, dropped (connections terminated) at the end. The same as
// libs/db's test support, through @sipwake/db instead of pg.
import { connectPostgres } from '@sipwake/db';
import { randomBytes } from 'node:crypto';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ThrowawayDatabase {
  readonly name: string;
  readonly connectionString: string;
  drop(): Promise<void>;
}

async function admin(sql: string): Promise<void> {
  const db = await connectPostgres({ connectionString: ADMIN_URL, max: 1 });
  try {
    await db.exec(sql);
  } finally {
    await db.close();
  }
}

export async function createThrowawayDatabase(): Promise<ThrowawayDatabase> {
  const name = `sipwake_test_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  let dropped = false;
  return {
    name,
    connectionString: `postgres://postgres@127.0.0.1:5432/${name}`,
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
