// One interface over both drivers: pg (a pool to a PostgreSQL server) and PGlite (embedded).

/** What a statement returned: the rows, and how many rows it returned or changed. */
export interface QueryResult<T> {
  readonly rows: T[];
  readonly rowCount: number;
}

/** Runs statements: the database itself, or the client of one transaction. */
export interface Queryable {
  /** One statement, `$1`-style parameters. int8 comes back as a number, bytea as a Uint8Array. */
  query<T = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<T>>;
  /** Several statements separated by `;`, without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export const DatabaseKind = { Postgres: 'postgres', Pglite: 'pglite' } as const;
export type DatabaseKind = (typeof DatabaseKind)[keyof typeof DatabaseKind];

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /**
   * Runs `fn` between BEGIN and COMMIT on one connection; a throw rolls back and is rethrown
   * (a driver error as a DbError, the caller's own error as it was).
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Resolves when the server answers `SELECT 1`; rejects with a DbError (UNAVAILABLE) otherwise. */
  ping(): Promise<void>;
  /** Closes the pool or the embedded database; idempotent. Later calls fail with CLOSED. */
  close(): Promise<void>;
}

/** The pino-like logger a caller may hand in; the library only reports through it. */
export interface DbLogger {
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
}
