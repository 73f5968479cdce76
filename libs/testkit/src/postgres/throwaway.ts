// A throw-away database on the local PostgreSQL (127.0.0.1:5432, trust auth, or the given
// `server`): created with a random name, dropped — its connections terminated —
// at the end. Through `pg` itself: testkit sits below every sipwake library.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ThrowawayDatabase {
  readonly name: string;
  readonly connectionString: string;
  /** Idempotent. */
  drop(): Promise<void>;
}

export interface ThrowawayOptions {
  /** The server, without a database: default `postgres://postgres@127.0.0.1:5432`. */
  readonly server?: string;
  /** A word in the name, to tell runs apart in `\l`. */
  readonly tag?: string;
}

async function admin(server: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${server}/postgres` });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createThrowawayDatabase(
  options: ThrowawayOptions = {},
): Promise<ThrowawayDatabase> {
  const server = options.server ?? 'postgres://postgres@127.0.0.1:5432';
  const tag = (options.tag ?? 'test').replace(/[^a-z0-9]/g, '').slice(0, 16);
  const name = `sipwake_${tag}_${randomBytes(6).toString('hex')}`;
  await admin(server, `CREATE DATABASE ${name}`);
  let dropped = false;
  return {
    name,
    connectionString: `${server}/${name}`,
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
