// sw.state.device-token: a woken app named a new push token in its device-side REGISTER (RFC
// 8599 `pn-prid`), and the agent that took it asks for the device row to follow. One statement
// that commits on its own (the reply is sent after it returns, so after COMMIT), versioned by the
// agent's `at`: the row changes only while it is older than `at` and holds other tokens, and takes
// `at` as its `updated_at`, so a resend changes nothing and a newer write (the app through the API)
// is never overwritten. The revive trigger of migration 0002 clears a dead-token mark on the way.
import { RecordOutcome } from '@sipwake/contracts';
import type { DeviceToken } from '@sipwake/contracts';
import type { Database } from '@sipwake/db';

const TAKE_TOKEN = `
UPDATE devices
SET push_token = $4,
    voip_token = COALESCE($5::text, voip_token),
    updated_at = to_timestamp($6::bigint / 1000.0)
WHERE selector = $1 AND device_id = $2 AND push_provider = $3
  AND updated_at < to_timestamp($6::bigint / 1000.0)
  AND (push_token <> $4 OR ($5::text IS NOT NULL AND voip_token IS DISTINCT FROM $5::text))`;

// Nothing changed: the device already holds these tokens (a resend, or the app told the API
// too), or it is not stored, or a newer write gave it other push data (`gone`: the agent's view
// is older than the store's).
const HOLDS_TOKEN = `
SELECT EXISTS (
  SELECT 1 FROM devices
  WHERE selector = $1 AND device_id = $2 AND push_provider = $3 AND push_token = $4
    AND ($5::text IS NULL OR voip_token = $5::text)) AS present`;

export async function takeDeviceToken(db: Database, d: DeviceToken): Promise<RecordOutcome> {
  const params = [d.selector, d.deviceId, d.provider, d.token, d.voipToken ?? null];
  const { rowCount } = await db.query(TAKE_TOKEN, [...params, d.at]);
  if (rowCount > 0) return RecordOutcome.Written;
  const { rows } = await db.query<{ present: boolean }>(HOLDS_TOKEN, params);
  return rows[0]?.present === true ? RecordOutcome.Duplicate : RecordOutcome.Gone;
}
