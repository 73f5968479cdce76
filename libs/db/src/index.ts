// @sipwake/db: PostgreSQL (pg) or embedded PGlite behind one Database interface, sipwake's
// schema under versioned migrations, and the selector range of a prefix.
export type { Database, DbLogger, Queryable, QueryResult } from './database.js';
export { DatabaseKind } from './database.js';
export { DbError, DbErrorCode } from './errors.js';
export type { PostgresOptions } from './postgres.js';
export { connectPostgres } from './postgres.js';
export type { PgliteOptions } from './pglite.js';
export { openPglite } from './pglite.js';
export type { MigrateOptions, MigrateResult } from './migrate.js';
export { migrate, pendingMigrations } from './migrate.js';
export { migrateWhenReachable } from './migrate-when-reachable.js';
export type { MigrateWhenReachableOptions } from './migrate-when-reachable.js';
export type { Migration } from './migrations/migration.js';
export { migrations } from './migrations/list.js';
export type { SelectorRange } from './prefix-range.js';
export { prefixRange } from './prefix-range.js';
