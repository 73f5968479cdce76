// The SQL of the instance API: the hand-over upsert (instance + device in one statement),
// reading, deleting, presence. Column names and CHECK values from @sipwake/db's 0001_initial.
import type { Database, Queryable } from '@sipwake/db';
import type { DevicePresence, InstanceMode, InstanceState, PushProvider } from '@sipwake/contracts';

export interface InstanceWrite {
  readonly selector: string;
  readonly username: string;
  readonly authUsername: string;
  readonly domain: string;
  readonly registrar: string | null;
  readonly outboundProxy: string | null;
  readonly transport: 'udp' | 'tcp' | 'tls';
  readonly expiresSeconds: number;
  readonly mode: InstanceMode;
  readonly passwordSealed: Uint8Array;
  readonly passwordKeyId: string;
  readonly tokenHash: string;
}

export interface DeviceWrite {
  readonly id: string;
  readonly appId: string;
  readonly platform: string;
  readonly pushProvider: PushProvider;
  readonly token: string;
  readonly voipToken: string | null;
  readonly topic: string | null;
}

export interface WriteResult {
  readonly created: boolean;
  readonly state: InstanceState;
  readonly version: number;
}

// A new hand-over of a known account replaces its settings, password and token. An instance
// that failed (unauthorized, error) gets another try with what was handed over.
const UPSERT_INSTANCE = `
INSERT INTO instances (selector, username, auth_username, domain, registrar_uri,
  outbound_proxy_uri, transport, requested_expires_s, mode, password_ciphertext,
  password_key_id, token_hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (selector) DO UPDATE SET
  username = EXCLUDED.username,
  auth_username = EXCLUDED.auth_username,
  domain = EXCLUDED.domain,
  registrar_uri = EXCLUDED.registrar_uri,
  outbound_proxy_uri = EXCLUDED.outbound_proxy_uri,
  transport = EXCLUDED.transport,
  requested_expires_s = EXCLUDED.requested_expires_s,
  mode = EXCLUDED.mode,
  password_ciphertext = EXCLUDED.password_ciphertext,
  password_key_id = EXCLUDED.password_key_id,
  token_hash = EXCLUDED.token_hash,
  state = CASE WHEN instances.state IN ('unauthorized', 'error') THEN 'registering'
               ELSE instances.state END,
  version = instances.version + 1,
  updated_at = now(),
  last_seen_at = now()
RETURNING state, version, (xmax = 0) AS created`;

const DEVICE_COLUMNS = `devices (selector, device_id, app_id, platform, push_provider,
  push_token, voip_token, topic)`;
const DEVICE_REPLACE = `
ON CONFLICT (selector, device_id) DO UPDATE SET
  app_id = EXCLUDED.app_id,
  platform = EXCLUDED.platform,
  push_provider = EXCLUDED.push_provider,
  push_token = EXCLUDED.push_token,
  voip_token = EXCLUDED.voip_token,
  topic = EXCLUDED.topic,
  updated_at = now(),
  last_seen_at = now()`;

const UPSERT_DEVICE = `
INSERT INTO ${DEVICE_COLUMNS}
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)${DEVICE_REPLACE}`;

// The hand-over as one statement, so one round trip and one implicit transaction: the
// instance upsert and the device upsert commit together or not at all. The device row is
// selected from the instance CTE's output; its foreign key check runs at the statement's end,
// when the instance row exists.
const HAND_OVER = `
WITH i AS (${UPSERT_INSTANCE}),
d AS (
  INSERT INTO ${DEVICE_COLUMNS}
  SELECT $1, $13, $14, $15, $16, $17, $18, $19 FROM i${DEVICE_REPLACE})
SELECT state, version, created FROM i`;

/** The device row of one instance, inserted or replaced. */
function upsertDevice(tx: Queryable, selector: string, device: DeviceWrite): Promise<unknown> {
  return tx.query(UPSERT_DEVICE, [
    selector,
    device.id,
    device.appId,
    device.platform,
    device.pushProvider,
    device.token,
    device.voipToken,
    device.topic,
  ]);
}

export async function writeHandOver(
  db: Database,
  instance: InstanceWrite,
  device: DeviceWrite,
): Promise<WriteResult> {
  const { rows } = await db.query<{ state: InstanceState; version: number; created: boolean }>(
    HAND_OVER,
    [
      instance.selector,
      instance.username,
      instance.authUsername,
      instance.domain,
      instance.registrar,
      instance.outboundProxy,
      instance.transport,
      instance.expiresSeconds,
      instance.mode,
      instance.passwordSealed,
      instance.passwordKeyId,
      instance.tokenHash,
      device.id,
      device.appId,
      device.platform,
      device.pushProvider,
      device.token,
      device.voipToken,
      device.topic,
    ],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('instance upsert returned no row');
  return { created: row.created, state: row.state, version: Number(row.version) };
}

/** The stored token hash of a selector, or undefined when there is no such instance. */
export async function tokenHashOf(db: Database, selector: string): Promise<string | undefined> {
  const { rows } = await db.query<{ token_hash: string }>(
    'SELECT token_hash FROM instances WHERE selector = $1',
    [selector],
  );
  return rows[0]?.token_hash;
}

export interface InstanceRow {
  readonly selector: string;
  readonly username: string;
  readonly auth_username: string;
  readonly domain: string;
  readonly registrar_uri: string | null;
  readonly outbound_proxy_uri: string | null;
  readonly transport: string;
  readonly requested_expires_s: number;
  readonly mode: InstanceMode;
  readonly state: InstanceState;
  readonly version: number;
}

export interface DeviceRow {
  readonly device_id: string;
  readonly app_id: string;
  readonly platform: string;
  readonly push_provider: PushProvider;
  readonly presence: DevicePresence;
  readonly last_seen_at: Date;
}

/**
 * The instance and its devices, without the password or token columns. Its state is what the
 * admin API counts: the registration's status once an agent checkpointed one (registered, idle,
 * unauthorized…), else the instance row's own (`registering` after a hand-over).
 */
export async function readInstance(
  db: Queryable,
  selector: string,
): Promise<{ instance: InstanceRow; devices: DeviceRow[] } | undefined> {
  const { rows } = await db.query<InstanceRow>(
    `SELECT i.selector, i.username, i.auth_username, i.domain, i.registrar_uri,
            i.outbound_proxy_uri, i.transport, i.requested_expires_s, i.mode,
            COALESCE(r.status, i.state) AS state, i.version
     FROM instances i LEFT JOIN registrations r ON r.selector = i.selector
     WHERE i.selector = $1`,
    [selector],
  );
  const instance = rows[0];
  if (instance === undefined) return undefined;
  const devices = await db.query<DeviceRow>(
    `SELECT device_id, app_id, platform, push_provider, presence, last_seen_at
     FROM devices WHERE selector = $1 ORDER BY device_id`,
    [selector],
  );
  return { instance, devices: devices.rows };
}

/** Deletes the instance (its devices and state go with it); the version it had, or undefined. */
export async function deleteInstance(db: Database, selector: string): Promise<number | undefined> {
  const { rows } = await db.query<{ version: number }>(
    'DELETE FROM instances WHERE selector = $1 RETURNING version',
    [selector],
  );
  return rows[0] === undefined ? undefined : Number(rows[0].version);
}

/** Records a device's presence and renews its last-seen time; false when there is no such device. */
export async function writePresence(
  db: Database,
  selector: string,
  deviceId: string,
  presence: DevicePresence,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      `UPDATE devices SET presence = $3, last_seen_at = now(), updated_at = now()
       WHERE selector = $1 AND device_id = $2`,
      [selector, deviceId, presence],
    );
    if (rowCount === 0) return false;
    await tx.query('UPDATE instances SET last_seen_at = now() WHERE selector = $1', [selector]);
    return true;
  });
}

const BUMP_VERSION =
  'UPDATE instances SET version = version + 1, updated_at = now() WHERE selector = $1 RETURNING version';

/** Adds or replaces one device of an existing instance; the instance's new version. */
export async function putDevice(
  db: Database,
  selector: string,
  device: DeviceWrite,
): Promise<number | undefined> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ version: number }>(BUMP_VERSION, [selector]);
    if (rows[0] === undefined) return undefined;
    await upsertDevice(tx, selector, device);
    return Number(rows[0].version);
  });
}

/** Removes one device; the instance's new version, or undefined when there was no such device. */
export async function removeDevice(
  db: Database,
  selector: string,
  deviceId: string,
): Promise<number | undefined> {
  return db.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      'DELETE FROM devices WHERE selector = $1 AND device_id = $2',
      [selector, deviceId],
    );
    if (rowCount === 0) return undefined;
    const { rows } = await tx.query<{ version: number }>(BUMP_VERSION, [selector]);
    return rows[0] === undefined ? undefined : Number(rows[0].version);
  });
}
