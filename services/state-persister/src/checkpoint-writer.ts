// A checkpoint batch → one transaction holding one multi-row upsert (unnest of column arrays).
// A row changes the store only when its version is newer (`WHERE registrations.version <
// EXCLUDED.version`), so a replayed or older batch changes nothing. A row whose instance was
// deleted meanwhile is skipped (the join), so one removed instance cannot block a batch forever.
import type { CheckpointBatch, CheckpointRow } from '@sipwake/contracts';
import type { Database } from '@sipwake/db';

const UPSERT = `
INSERT INTO registrations
  (selector, status, call_id, cseq, expires_at, last_code, last_at, shard, version, updated_at)
SELECT r.selector, r.status, r.call_id, r.cseq,
       to_timestamp(r.expires_at / 1000.0), r.last_code, to_timestamp(r.last_at / 1000.0),
       $9, r.version, now()
FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::smallint[],
            $7::bigint[], $8::bigint[])
       AS r(selector, status, call_id, cseq, expires_at, last_code, last_at, version)
JOIN instances i ON i.selector = r.selector
ON CONFLICT (selector) DO UPDATE SET
  status = EXCLUDED.status, call_id = EXCLUDED.call_id, cseq = EXCLUDED.cseq,
  expires_at = EXCLUDED.expires_at, last_code = EXCLUDED.last_code, last_at = EXCLUDED.last_at,
  shard = EXCLUDED.shard, version = EXCLUDED.version, updated_at = now()
WHERE registrations.version < EXCLUDED.version`;

/**
 * One row per selector, the newest version: ON CONFLICT DO UPDATE may not touch a row twice in
 * one statement.
 */
export function newestPerSelector(rows: readonly CheckpointRow[]): CheckpointRow[] {
  const newest = new Map<string, CheckpointRow>();
  for (const row of rows) {
    const seen = newest.get(row.selector);
    if (seen === undefined || seen.version < row.version) newest.set(row.selector, row);
  }
  return [...newest.values()];
}

/** Writes the batch in one transaction; resolves after COMMIT with the rows the batch held. */
export async function writeCheckpoints(db: Database, batch: CheckpointBatch): Promise<number> {
  const rows = newestPerSelector(batch.rows);
  const params = [
    rows.map((r) => r.selector),
    rows.map((r) => r.status),
    rows.map((r) => r.callId),
    rows.map((r) => r.cseq),
    rows.map((r) => r.expiresAt),
    rows.map((r) => r.lastCode),
    rows.map((r) => r.lastAt),
    rows.map((r) => r.version),
    batch.shard,
  ];
  await db.transaction((tx) => tx.query(UPSERT, params));
  return batch.rows.length;
}
