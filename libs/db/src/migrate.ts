// Runs the schema migrations with umzug. One run is one transaction under a PostgreSQL
// advisory lock: processes that start together queue on the lock, the first applies what is
// pending, the others then find nothing left to do; a failing migration leaves nothing of its
// run behind (PostgreSQL's DDL is transactional). Applied names are kept in schema_migrations.
import { Umzug } from 'umzug';
import type { UmzugStorage } from 'umzug';
import type { Database, DbLogger, Queryable } from './database.js';
import { DbError, DbErrorCode } from './errors.js';
import type { Migration } from './migrations/migration.js';
import { migrations as allMigrations } from './migrations/list.js';

/** The advisory lock every sipwake process takes to migrate (any constant: one per schema). */
const MIGRATION_LOCK_KEY = '7308327640510107491';

const createTable = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  name        text COLLATE "C" PRIMARY KEY,
  applied_at  timestamptz NOT NULL DEFAULT now()
)`;

export interface MigrateOptions {
  /** The migrations to apply, in order (default: sipwake's own list). */
  readonly migrations?: readonly Migration[];
  /** Told which migration is applied. */
  readonly log?: DbLogger;
}

export interface MigrateResult {
  /** The names applied by this run, in order; empty when the schema was up to date. */
  readonly applied: string[];
}

/** umzug's bookkeeping in schema_migrations, read and written through the run's client. */
function storage(): UmzugStorage<Queryable> {
  return {
    async logMigration({ name, context }) {
      await context.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
    },
    async unlogMigration({ name, context }) {
      await context.query('DELETE FROM schema_migrations WHERE name = $1', [name]);
    },
    async executed({ context }) {
      const exists = await context.query<{ present: boolean }>(
        `SELECT to_regclass('schema_migrations') IS NOT NULL AS present`,
      );
      if (exists.rows[0]?.present !== true) return [];
      const res = await context.query<{ name: string }>(
        'SELECT name FROM schema_migrations ORDER BY name',
      );
      return res.rows.map((row) => row.name);
    },
  };
}

function umzugFor(client: Queryable, opts: MigrateOptions): Umzug<Queryable> {
  const log = opts.log;
  return new Umzug<Queryable>({
    migrations: (opts.migrations ?? allMigrations).map((migration) => ({
      name: migration.name,
      up: ({ context }) => context.exec(migration.up),
    })),
    context: client,
    storage: storage(),
    logger:
      log === undefined
        ? undefined
        : {
            info: (record) => log.info(record, 'migration'),
            warn: (record) => log.warn(record, 'migration'),
            error: (record) => log.warn(record, 'migration'),
            debug: () => undefined,
          },
  });
}

function migrationError(error: unknown): DbError {
  if (error instanceof DbError) {
    return new DbError(DbErrorCode.MigrationFailed, `migration failed: ${error.message}`, {
      ...(error.sqlState === undefined ? {} : { sqlState: error.sqlState }),
      cause: error,
    });
  }
  // umzug wraps the migration's error in a MigrationError whose cause is the DbError.
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof DbError) {
    const message = error instanceof Error ? error.message : String(error);
    return new DbError(DbErrorCode.MigrationFailed, message, {
      ...(cause.sqlState === undefined ? {} : { sqlState: cause.sqlState }),
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DbError(DbErrorCode.MigrationFailed, `migration failed: ${message}`, { cause: error });
}

/** Applies every pending migration, once across all processes; returns the names applied. */
export async function migrate(db: Database, opts: MigrateOptions = {}): Promise<MigrateResult> {
  try {
    return await db.transaction(async (tx) => {
      // Waiting for another process's run is not a slow statement; migrations may be long.
      await tx.exec('SET LOCAL statement_timeout = 0');
      await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
      await tx.exec(createTable);
      const applied = await umzugFor(tx, opts).up();
      return { applied: applied.map((m) => m.name) };
    });
  } catch (error) {
    if (error instanceof DbError && error.code === DbErrorCode.Unavailable) throw error;
    throw migrationError(error);
  }
}

/** The names of the migrations not yet applied, in order (all of them on an empty database). */
export async function pendingMigrations(
  db: Database,
  opts: Pick<MigrateOptions, 'migrations'> = {},
): Promise<string[]> {
  const pending = await umzugFor(db, opts).pending();
  return pending.map((m) => m.name);
}
