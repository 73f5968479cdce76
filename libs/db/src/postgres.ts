// The PostgreSQL server driver: a pg Pool behind the Database interface. The pool opens
// connections on demand and replaces broken ones, so a restarted server is used again
// without help; every driver error leaves here as a DbError.
import pg from 'pg';
import type { Database, DbLogger, Queryable, QueryResult } from './database.js';
import { DatabaseKind } from './database.js';
import { DbError, DbErrorCode } from './errors.js';
import { toDbError } from './map-error.js';

export interface PostgresOptions {
  /** `postgres://user@host:port/db`; or the separate fields below. Never logged. */
  readonly connectionString?: string;
  readonly host?: string;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
  /** Most connections the pool opens (default 10). */
  readonly max?: number;
  /** Server-side statement_timeout for every connection, 0 for none (default 30,000). */
  readonly statementTimeoutMs?: number;
  /** How long opening a connection may take (default 5,000). */
  readonly connectTimeoutMs?: number;
  /** How long an idle connection is kept (default 30,000). */
  readonly idleTimeoutMs?: number;
  /** application_name seen in pg_stat_activity (default `sipwake`). */
  readonly applicationName?: string;
  /** Do not check the server at connect: the first query or ping() finds out (default false). */
  readonly lazy?: boolean;
  /** Told about broken idle connections (the pool replaces them). */
  readonly log?: DbLogger;
}

const INT8_OID = 20;

/** int8 as a JS number (versions, counts and CSeqs stay far below 2^53), the rest as pg does. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

function checkOptions(opts: PostgresOptions): void {
  const bad = (key: string, why: string) =>
    new DbError(DbErrorCode.BadOptions, `connectPostgres: ${key} ${why}`);
  if (opts.connectionString === undefined && opts.host === undefined) {
    throw bad('connectionString', 'or host is required');
  }
  for (const key of ['max', 'statementTimeoutMs', 'connectTimeoutMs', 'idleTimeoutMs'] as const) {
    const value = opts[key];
    const min = key === 'max' ? 1 : 0;
    if (value !== undefined && (!Number.isInteger(value) || value < min)) {
      throw bad(key, `must be an integer ≥ ${min}`);
    }
  }
}

function result<T>(res: pg.QueryResult): QueryResult<T> {
  return { rows: res.rows as T[], rowCount: res.rowCount ?? res.rows.length };
}

function clientQueryable(client: pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params?: readonly unknown[]) {
      try {
        return result<T>(await client.query(sql, params as unknown[] | undefined));
      } catch (error) {
        throw toDbError(error, 'query failed');
      }
    },
    async exec(sql: string) {
      try {
        await client.query(sql);
      } catch (error) {
        throw toDbError(error, 'statement failed');
      }
    },
  };
}

class PostgresDatabase implements Database {
  readonly kind = DatabaseKind.Postgres;
  readonly #pool: pg.Pool;
  #closed = false;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  #open(): void {
    if (this.#closed) throw new DbError(DbErrorCode.Closed, 'the database was closed');
  }

  async query<T>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
    this.#open();
    try {
      return result<T>(await this.#pool.query(sql, params as unknown[] | undefined));
    } catch (error) {
      throw toDbError(error, 'query failed');
    }
  }

  async exec(sql: string): Promise<void> {
    this.#open();
    try {
      await this.#pool.query(sql);
    } catch (error) {
      throw toDbError(error, 'statement failed');
    }
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.#open();
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw toDbError(error, 'could not open a connection');
    }
    const tx = clientQueryable(client);
    try {
      await tx.exec('BEGIN');
      const value = await fn(tx);
      await tx.exec('COMMIT');
      client.release();
      return value;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
        client.release();
      } catch {
        // The connection is broken: the pool drops it instead of reusing it.
        client.release(true);
      }
      throw error;
    }
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}

/** A Database over a pg Pool; checks the server once unless `lazy` (rejects with UNAVAILABLE). */
export async function connectPostgres(opts: PostgresOptions): Promise<Database> {
  checkOptions(opts);
  const pool = new pg.Pool({
    ...(opts.connectionString === undefined ? {} : { connectionString: opts.connectionString }),
    ...(opts.host === undefined ? {} : { host: opts.host }),
    ...(opts.port === undefined ? {} : { port: opts.port }),
    ...(opts.user === undefined ? {} : { user: opts.user }),
    ...(opts.password === undefined ? {} : { password: opts.password }),
    ...(opts.database === undefined ? {} : { database: opts.database }),
    max: opts.max ?? 10,
    statement_timeout: opts.statementTimeoutMs ?? 30_000,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: opts.idleTimeoutMs ?? 30_000,
    application_name: opts.applicationName ?? 'sipwake',
    types,
  });
  // An idle connection that breaks (server restart) emits 'error' on the pool; unhandled, it
  // would end the process. The pool has already dropped it.
  pool.on('error', (error) => {
    const mapped = toDbError(error, 'idle connection lost');
    opts.log?.warn({ code: mapped.code, err: mapped.message }, 'postgres connection lost');
  });
  // A backend that ends while its client is checked out (in a transaction, or in the instant
  // the pool hands it over) makes the client emit 'error'; unhandled, that would end the
  // process. Every client gets a listener for its whole life; the next statement on it fails
  // with UNAVAILABLE anyway.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      const mapped = toDbError(error, 'connection lost');
      opts.log?.warn({ code: mapped.code, err: mapped.message }, 'postgres connection lost');
    });
  });
  const db = new PostgresDatabase(pool);
  if (opts.lazy !== true) {
    try {
      await db.ping();
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  return db;
}
