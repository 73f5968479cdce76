// The record writes a registrar-agent asks for, each one statement that commits on its own
// (the reply is sent after it returns, so after COMMIT), idempotent by the sender's id: a
// resend finds the row already there and changes nothing. Nothing is written for an instance
// (or device token) that is no longer stored: the answer says `gone`.
import { RecordOutcome } from '@sipwake/contracts';
import type { CallRecord, DeadToken, StoreMessage } from '@sipwake/contracts';
import type { Database } from '@sipwake/db';

const INSERT_MESSAGE = `
INSERT INTO messages (id, selector, call_id, from_uri, to_uri, content_type, body, received_at)
SELECT $1::uuid, i.selector, $3, $4, $5, $6, $7, to_timestamp($8::bigint / 1000.0)
FROM instances i WHERE i.selector = $2
ON CONFLICT (id) DO NOTHING`;

const MESSAGE_PRESENT = `SELECT EXISTS (SELECT 1 FROM messages WHERE id = $1::uuid) AS present`;

const INSERT_CALL = `
INSERT INTO call_records
  (selector, call_id, direction, caller, started_at, answered_at, ended_at, outcome, push_status)
SELECT i.selector, $2, $3, $4, to_timestamp($5::bigint / 1000.0),
       to_timestamp($6::bigint / 1000.0), to_timestamp($7::bigint / 1000.0), $8, $9
FROM instances i WHERE i.selector = $1
ON CONFLICT (selector, call_id) DO NOTHING`;

const CALL_PRESENT = `
SELECT EXISTS (SELECT 1 FROM call_records WHERE selector = $1 AND call_id = $2) AS present`;

// Only the token that was refused is marked: a device whose app sent a new token meanwhile
// keeps it. Only the token_dead columns change, so the revive trigger does not fire.
const MARK_DEAD = `
UPDATE devices SET token_dead_at = now(), token_dead_reason = $4
WHERE selector = $1 AND device_id = $2 AND (push_token = $3 OR voip_token = $3)
  AND token_dead_at IS NULL`;

const DEAD_PRESENT = `
SELECT EXISTS (
  SELECT 1 FROM devices
  WHERE selector = $1 AND device_id = $2 AND (push_token = $3 OR voip_token = $3)
    AND token_dead_at IS NOT NULL) AS present`;

async function present(db: Database, sql: string, params: readonly unknown[]): Promise<boolean> {
  const { rows } = await db.query<{ present: boolean }>(sql, params);
  return rows[0]?.present === true;
}

async function outcome(
  db: Database,
  written: number,
  check: string,
  params: readonly unknown[],
): Promise<RecordOutcome> {
  if (written > 0) return RecordOutcome.Written;
  return (await present(db, check, params)) ? RecordOutcome.Duplicate : RecordOutcome.Gone;
}

export async function storeMessage(db: Database, m: StoreMessage): Promise<RecordOutcome> {
  const { rowCount } = await db.query(INSERT_MESSAGE, [
    m.id,
    m.selector,
    m.callId ?? null,
    m.from,
    m.to,
    m.contentType,
    Buffer.from(m.body, 'base64'),
    m.receivedAt,
  ]);
  return outcome(db, rowCount, MESSAGE_PRESENT, [m.id]);
}

export async function appendCallRecord(db: Database, c: CallRecord): Promise<RecordOutcome> {
  const { rowCount } = await db.query(INSERT_CALL, [
    c.selector,
    c.callId,
    c.direction,
    c.caller,
    c.startedAt,
    c.answeredAt,
    c.endedAt,
    c.outcome,
    c.pushStatus ?? null,
  ]);
  return outcome(db, rowCount, CALL_PRESENT, [c.selector, c.callId]);
}

export async function markTokenDead(db: Database, d: DeadToken): Promise<RecordOutcome> {
  const params = [d.selector, d.deviceId, d.token];
  const { rowCount } = await db.query(MARK_DEAD, [...params, d.reason]);
  return outcome(db, rowCount, DEAD_PRESENT, params);
}
