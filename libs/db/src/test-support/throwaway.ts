// A throw-away database on the local PostgreSQL (127.0.0.1:5432, trust auth) for one test file:
// created with a random name, dropped (connections terminated) at the end.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ThrowawayDatabase {
  readonly name: string;
  readonly connectionString: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface ThrowawayOptions {
  /** An ICU default collation (`en-US`) instead of the server's, to prove a plan does not rely on C. */
  readonly icuLocale?: string;
}

export async function createThrowawayDatabase(
  opts: ThrowawayOptions = {},
): Promise<ThrowawayDatabase> {
  const name = `sipwake_test_${randomBytes(6).toString('hex')}`;
  const locale =
    opts.icuLocale === undefined
      ? ''
      : ` TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '${opts.icuLocale}' LOCALE 'C.UTF-8'`;
  await admin((c) => c.query(`CREATE DATABASE ${name}${locale}`));
  let dropped = false;
  return {
    name,
    connectionString: `postgres://postgres@127.0.0.1:5432/${name}`,
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
