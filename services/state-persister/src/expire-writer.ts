// The conditional delete behind sw.state.expire, in one transaction. The instance goes only when
// the store holds nothing the agent has not seen: its version is still the agent's, and neither
// the instance's nor any device's last_seen_at is later than the agent's `lastHeardAt`. The
// delete cascades (foreign keys of migration 0001) to devices, registrations, messages and call
// records; the sealed password lives in the instances row itself, so it goes with it.
//
// Locks, in registration-api's order for presence (devices, then the instance), so a presence
// update and an expiry queue behind each other instead of deadlocking: a presence update that got
// there first has committed when the locks are granted, and its last_seen_at keeps the instance;
// one that comes after finds no row. The devices are read again once the instance is locked, so a
// device added meanwhile (it holds a key-share lock on the instance until it commits) is counted.
// Times are compared in whole milliseconds, rounded as loads send them (load-query.ts), so an
// agent that heard exactly what the store holds may expire it.
import { ExpireOutcome } from '@sipwake/contracts';
import type { ExpireInstance } from '@sipwake/contracts';
import type { Database } from '@sipwake/db';

const LOCK_DEVICES = `SELECT 1 FROM devices WHERE selector = $1 ORDER BY device_id FOR UPDATE`;

const LOCK_INSTANCE = `
SELECT version, round(extract(epoch FROM last_seen_at) * 1000)::bigint AS last_seen_at_ms
FROM instances WHERE selector = $1 FOR UPDATE`;

const DEVICE_SEEN_AFTER = `
SELECT EXISTS (
  SELECT 1 FROM devices
  WHERE selector = $1 AND round(extract(epoch FROM last_seen_at) * 1000)::bigint > $2::bigint
) AS seen`;

const DELETE_INSTANCE = `DELETE FROM instances WHERE selector = $1`;

interface LockedInstance {
  version: number | string;
  last_seen_at_ms: number | string | null;
}

/**
 * Deletes the instance if the store has nothing newer than the request; resolves after COMMIT.
 * `gone` when no row is stored, `kept` (nothing changed) when the version differs or someone was
 * seen after `lastHeardAt`. A database failure rejects with its DbError (nothing changed).
 */
export async function expireInstance(
  db: Database,
  request: ExpireInstance,
): Promise<ExpireOutcome> {
  const { selector, version, lastHeardAt } = request;
  return db.transaction(async (tx) => {
    await tx.query(LOCK_DEVICES, [selector]);
    const { rows } = await tx.query<LockedInstance>(LOCK_INSTANCE, [selector]);
    const instance = rows[0];
    if (instance === undefined) return ExpireOutcome.Gone;
    if (Number(instance.version) !== version) return ExpireOutcome.Kept;
    const instanceSeen = instance.last_seen_at_ms;
    if (instanceSeen !== null && Number(instanceSeen) > lastHeardAt) return ExpireOutcome.Kept;
    const devices = await tx.query<{ seen: boolean }>(DEVICE_SEEN_AFTER, [selector, lastHeardAt]);
    if (devices.rows[0]?.seen === true) return ExpireOutcome.Kept;
    await tx.query(DELETE_INSTANCE, [selector]);
    return ExpireOutcome.Deleted;
  });
}
