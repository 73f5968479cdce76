// The embedded driver: PGlite (PostgreSQL compiled to WebAssembly, in this process) behind the
// Database interface, for the embedded default. One connection: a transaction holds it, so a
// statement on the Database itself waits until the transaction ends (never call the Database
// from inside its own transaction: use the `tx` handed to the function).
import { PGlite } from '@electric-sql/pglite';
import type { Results, Transaction } from '@electric-sql/pglite';
import type { Database, Queryable, QueryResult } from './database.js';
import { DatabaseKind } from './database.js';
import { DbError, DbErrorCode } from './errors.js';
import { toDbError } from './map-error.js';

export interface PgliteOptions {
  /** A directory that keeps the data between runs; in memory when absent. */
  readonly dataDir?: string;
}

function result<T>(res: Results<T>): QueryResult<T> {
  // PGlite counts changed rows in affectedRows (0 for a SELECT); pg's rowCount counts both.
  return { rows: res.rows, rowCount: Math.max(res.affectedRows ?? 0, res.rows.length) };
}

function txQueryable(tx: Transaction): Queryable {
  return {
    async query<T>(sql: string, params?: readonly unknown[]) {
      try {
        return result<T>(await tx.query<T>(sql, params as unknown[] | undefined));
      } catch (error) {
        throw toDbError(error, 'query failed');
      }
    },
    async exec(sql: string) {
      try {
        await tx.exec(sql);
      } catch (error) {
        throw toDbError(error, 'statement failed');
      }
    },
  };
}

class PgliteDatabase implements Database {
  readonly kind = DatabaseKind.Pglite;
  readonly #db: PGlite;
  #closed = false;

  constructor(db: PGlite) {
    this.#db = db;
  }

  #open(): void {
    if (this.#closed) throw new DbError(DbErrorCode.Closed, 'the database was closed');
  }

  async query<T>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
    this.#open();
    try {
      return result<T>(await this.#db.query<T>(sql, params as unknown[] | undefined));
    } catch (error) {
      throw toDbError(error, 'query failed');
    }
  }

  async exec(sql: string): Promise<void> {
    this.#open();
    try {
      await this.#db.exec(sql);
    } catch (error) {
      throw toDbError(error, 'statement failed');
    }
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.#open();
    // PGlite's transaction() runs BEGIN, the function, then COMMIT, or ROLLBACK on a throw,
    // which it rethrows as it was.
    return this.#db.transaction((tx) => fn(txQueryable(tx)));
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#db.close();
  }
}

/** An embedded PostgreSQL: in memory, or kept in `dataDir`. */
export async function openPglite(opts: PgliteOptions = {}): Promise<Database> {
  let db: PGlite;
  try {
    db = opts.dataDir === undefined ? await PGlite.create() : await PGlite.create(opts.dataDir);
  } catch (error) {
    throw toDbError(error, 'could not open the embedded database');
  }
  return new PgliteDatabase(db);
}
