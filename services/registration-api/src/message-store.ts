// The SQL of the device's message box: stored MESSAGEs not yet acknowledged, oldest first (the
// partial index messages_unacked_idx), and their acknowledgement. Only the instance's own rows
// are ever read or marked.
import type { Database } from '@sipwake/db';

export interface MessageRow {
  readonly id: string;
  readonly call_id: string | null;
  readonly from_uri: string;
  readonly to_uri: string;
  readonly content_type: string;
  readonly body: Uint8Array;
  readonly received_at: Date;
}

/** The oldest `limit` unacknowledged messages of `selector`. */
export async function unackedMessages(
  db: Database,
  selector: string,
  limit: number,
): Promise<MessageRow[]> {
  const { rows } = await db.query<MessageRow>(
    `SELECT id, call_id, from_uri, to_uri, content_type, body, received_at
     FROM messages WHERE selector = $1 AND acked_at IS NULL
     ORDER BY received_at, id
     LIMIT $2`,
    [selector, limit],
  );
  return rows;
}

/**
 * Marks the given messages of `selector` acknowledged; how many were newly marked. Ids of other
 * instances, unknown ids and ids already acknowledged change nothing (a repeated ack is a no-op).
 */
export async function ackMessages(
  db: Database,
  selector: string,
  ids: readonly string[],
): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE messages SET acked_at = now()
     WHERE selector = $1 AND id = ANY($2::uuid[]) AND acked_at IS NULL`,
    [selector, ids],
  );
  return rowCount;
}

/** Renews a device's last-seen time; false when the instance has no such device. */
export async function touchDevice(
  db: Database,
  selector: string,
  deviceId: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE devices SET last_seen_at = now() WHERE selector = $1 AND device_id = $2`,
    [selector, deviceId],
  );
  return rowCount > 0;
}
