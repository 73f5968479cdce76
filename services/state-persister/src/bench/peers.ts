// B7's peers on the same table: the bare batched UNNEST upsert (the statement the persister
// runs, instance join and version guard included, with no bus, no decoding, no queueing), and COPY into a temporary staging table then
// one INSERT … SELECT upsert. COPY goes through pg's own Query with the COPY IN handshake
// answered by hand (sendCopyFromChunk/endCopyFrom), so no extra package is needed.
import pg from 'pg';
import type { CheckpointRow } from '@sipwake/contracts';

export const UNNEST_UPSERT = `
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

export async function unnestUpsert(
  client: pg.PoolClient,
  shard: string,
  rows: readonly CheckpointRow[],
): Promise<void> {
  await client.query(UNNEST_UPSERT, [
    rows.map((r) => r.selector),
    rows.map((r) => r.status),
    rows.map((r) => r.callId),
    rows.map((r) => r.cseq),
    rows.map((r) => r.expiresAt),
    rows.map((r) => r.lastCode),
    rows.map((r) => r.lastAt),
    rows.map((r) => r.version),
    shard,
  ]);
}

const STAGING = `
CREATE TEMP TABLE IF NOT EXISTS checkpoint_staging (
  selector text, status text, call_id text, cseq bigint, expires_at timestamptz,
  last_code smallint, last_at timestamptz, version bigint) ON COMMIT DELETE ROWS`;

const FROM_STAGING = `
INSERT INTO registrations
  (selector, status, call_id, cseq, expires_at, last_code, last_at, shard, version, updated_at)
SELECT s.selector, s.status, s.call_id, s.cseq, s.expires_at, s.last_code, s.last_at, $1,
       s.version, now()
FROM checkpoint_staging s JOIN instances i ON i.selector = s.selector
ON CONFLICT (selector) DO UPDATE SET
  status = EXCLUDED.status, call_id = EXCLUDED.call_id, cseq = EXCLUDED.cseq,
  expires_at = EXCLUDED.expires_at, last_code = EXCLUDED.last_code, last_at = EXCLUDED.last_at,
  shard = EXCLUDED.shard, version = EXCLUDED.version, updated_at = now()
WHERE registrations.version < EXCLUDED.version`;

interface CopyConnection {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/** COPY … FROM STDIN with the whole text at once. */
class CopyIn extends (pg.Query as unknown as new (text: string) => object) {
  readonly #data: Buffer;
  constructor(text: string, data: Buffer, done: (error: Error | null) => void) {
    super(text);
    this.#data = data;
    (this as unknown as { callback: (error: Error | null) => void }).callback = done;
  }
  handleCopyInResponse(connection: CopyConnection): void {
    connection.sendCopyFromChunk(this.#data);
    connection.endCopyFrom();
  }
}

const iso = (ms: number | null): string => (ms === null ? '\\N' : new Date(ms).toISOString());
const text = (s: string | null): string =>
  s === null
    ? '\\N'
    : s.replace(
        /[\\\t\n\r]/g,
        (c) => `\\${c === '\t' ? 't' : c === '\n' ? 'n' : c === '\r' ? 'r' : '\\'}`,
      );
const num = (n: number | null): string => (n === null ? '\\N' : String(n));

export async function copyToStaging(
  client: pg.PoolClient,
  shard: string,
  rows: readonly CheckpointRow[],
): Promise<void> {
  const data = Buffer.from(
    rows
      .map((r) =>
        [
          r.selector,
          r.status,
          text(r.callId),
          num(r.cseq),
          iso(r.expiresAt),
          num(r.lastCode),
          iso(r.lastAt),
          String(r.version),
        ].join('\t'),
      )
      .join('\n') + '\n',
  );
  await client.query('BEGIN');
  try {
    await client.query(STAGING);
    await new Promise<void>((resolve, reject) => {
      client.query(
        new CopyIn('COPY checkpoint_staging FROM STDIN', data, (error) =>
          error ? reject(error) : resolve(),
        ) as unknown as pg.QueryConfig,
      );
    });
    await client.query(FROM_STAGING, [shard]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
