// The SQL of the admin API: instances of a prefix a page at a time (a keyset on the selector, a
// range scan of the primary key through db's prefixRange), and counts per state and per shard.
// An instance's state is its registration's status once an agent checkpointed one, else the
// instance row's own state (`registering` after a hand-over): `effectiveState` below.
import type { Database, SelectorRange } from '@sipwake/db';
import { InstanceState } from '@sipwake/contracts';
import type { InstanceMode } from '@sipwake/contracts';

/** 'g' sorts after every hex digit: the end of an open range. */
const END = 'g';
const effectiveState = 'COALESCE(r.status, i.state)';

export interface AdminInstanceRow {
  readonly selector: string;
  readonly username: string;
  readonly auth_username: string;
  readonly domain: string;
  readonly mode: InstanceMode;
  readonly state: InstanceState;
  readonly version: number;
  readonly devices: number;
  readonly shard: string | null;
  readonly last_code: number | null;
  readonly expires_at: Date | null;
  readonly updated_at: Date;
}

const PAGE = `
SELECT i.selector, i.username, i.auth_username, i.domain, i.mode, i.version,
       ${effectiveState} AS state, r.shard, r.last_code, r.expires_at, i.updated_at,
       (SELECT count(*) FROM devices d WHERE d.selector = i.selector) AS devices
FROM instances i LEFT JOIN registrations r ON r.selector = i.selector
WHERE i.selector >= $1 AND i.selector < $2 AND i.selector > $3
  AND ($4::text IS NULL OR ${effectiveState} = $4)
ORDER BY i.selector
LIMIT $5`;

export interface InstancePageQuery {
  readonly range: SelectorRange;
  readonly state: InstanceState | undefined;
  readonly limit: number;
  /** The last selector of the previous page. */
  readonly after: string | undefined;
}

/** One page in selector order; `nextCursor` is set only when more rows follow. */
export async function listInstances(
  db: Database,
  query: InstancePageQuery,
): Promise<{ rows: AdminInstanceRow[]; nextCursor: string | null }> {
  const { rows } = await db.query<AdminInstanceRow>(PAGE, [
    query.range.from,
    query.range.to ?? END,
    query.after ?? '',
    query.state ?? null,
    query.limit + 1,
  ]);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > query.limit && last ? last.selector : null };
}

export type StateCounts = Record<InstanceState, number>;

export function zeroCounts(): StateCounts {
  const counts = {} as Record<InstanceState, number>;
  for (const state of Object.values(InstanceState)) counts[state] = 0;
  return counts;
}

/** Instances per state over the whole space. */
export async function countByState(db: Database): Promise<StateCounts> {
  const { rows } = await db.query<{ state: InstanceState; n: number }>(
    `SELECT ${effectiveState} AS state, count(*) AS n
     FROM instances i LEFT JOIN registrations r ON r.selector = i.selector
     GROUP BY 1`,
  );
  const counts = zeroCounts();
  for (const row of rows) counts[row.state] = Number(row.n);
  return counts;
}

/**
 * Instances per state in each range: one statement over the ranges as parameter arrays,
 * each a range scan of the primary key. The result is indexed like `ranges`.
 */
export async function countByRange(
  db: Database,
  ranges: readonly SelectorRange[],
): Promise<StateCounts[]> {
  const counts = ranges.map(() => zeroCounts());
  if (ranges.length === 0) return counts;
  const { rows } = await db.query<{ idx: number; state: InstanceState; n: number }>(
    `SELECT s.idx, ${effectiveState} AS state, count(*) AS n
     FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS s(lo, hi, idx)
     JOIN instances i ON i.selector >= s.lo AND i.selector < s.hi
     LEFT JOIN registrations r ON r.selector = i.selector
     GROUP BY s.idx, 2`,
    [ranges.map((r) => r.from), ranges.map((r) => r.to ?? END)],
  );
  for (const row of rows) {
    const target = counts[Number(row.idx) - 1];
    if (target !== undefined) target[row.state] = Number(row.n);
  }
  return counts;
}

/** The active shard map's version and its `shards` JSON as stored, or undefined. */
export async function activeShardMap(
  db: Database,
): Promise<{ version: number; shards: unknown } | undefined> {
  const { rows } = await db.query<{ version: number; shards: unknown }>(
    'SELECT version, shards FROM shard_map WHERE active',
  );
  const row = rows[0];
  return row === undefined ? undefined : { version: Number(row.version), shards: row.shards };
}
