// What a schema looks like from the catalog, for comparing two databases.
import type { Queryable } from '../database.js';

export interface ColumnShape {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: string;
  column_default: string | null;
  collation_name: string | null;
}

export async function columns(db: Queryable): Promise<ColumnShape[]> {
  const { rows } = await db.query<ColumnShape>(`
    SELECT table_name, column_name, data_type, is_nullable, column_default, collation_name
    FROM information_schema.columns
    WHERE table_schema = 'public'
    ORDER BY table_name, ordinal_position`);
  return rows;
}

export async function indexes(db: Queryable): Promise<{ indexname: string; indexdef: string }[]> {
  const { rows } = await db.query<{ indexname: string; indexdef: string }>(`
    SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`);
  return rows;
}

export async function constraints(db: Queryable): Promise<{ conname: string; def: string }[]> {
  const { rows } = await db.query<{ conname: string; def: string }>(`
    SELECT conname, pg_get_constraintdef(c.oid) AS def
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
    WHERE n.nspname = 'public' AND c.contype <> 'n' -- PGlite's newer PostgreSQL lists NOT NULL here too
    ORDER BY conname`);
  return rows;
}
