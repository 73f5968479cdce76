// "The instances of these prefixes", a page at a time, in selector order. Each prefix is a
// range scan of the primary key (db's prefixRange); the ranges are read in order of their start,
// each from past the last selector already taken, so overlapping prefixes give no duplicates and
// the cursor (the last selector of the page) continues exactly where the page ended.
// The password stays sealed: its ciphertext is passed through as the contract's string.
import { isSelector, parsePrefix } from '@sipwake/contracts';
import type {
  CheckpointRow,
  InstanceDevice,
  LoadedInstance,
  LoadPage,
  LoadRequest,
} from '@sipwake/contracts';
import type { Database, SelectorRange } from '@sipwake/db';
import { prefixRange } from '@sipwake/db';
import { PersisterError, PersisterErrorCode } from './errors.js';

/** 'g' sorts after every hex digit: the end of an open range. */
const END = 'g';

const PAGE = `
SELECT i.selector, i.version, i.mode, i.username, i.auth_username, i.domain, i.registrar_uri,
       i.outbound_proxy_uri, i.transport, i.requested_expires_s, i.password_ciphertext,
       round(extract(epoch FROM i.last_seen_at) * 1000)::bigint AS last_seen_at_ms,
       r.status, r.call_id, r.cseq, r.last_code, r.version AS registration_version,
       round(extract(epoch FROM r.expires_at) * 1000)::bigint AS expires_at_ms,
       round(extract(epoch FROM r.last_at) * 1000)::bigint AS last_at_ms
FROM (SELECT * FROM instances
      WHERE selector >= $1 AND selector < $2 AND selector > $3
      ORDER BY selector
      LIMIT $4) i
-- One primary-key lookup per instance of the page, never a hash of every registration (which
-- a plain LEFT JOIN gets once the table is large). LIMIT 1 keeps the planner from pulling the
-- subquery up into such a join.
LEFT JOIN LATERAL (SELECT * FROM registrations WHERE selector = i.selector LIMIT 1) r ON true
ORDER BY i.selector`;

const DEVICES = `
SELECT selector, device_id, app_id, platform, push_provider, push_token, voip_token, topic,
       presence, round(extract(epoch FROM last_seen_at) * 1000)::bigint AS last_seen_at_ms,
       token_dead_at IS NOT NULL AS token_dead
FROM devices WHERE selector = ANY($1::text[])
ORDER BY selector, device_id`;

interface InstanceRow {
  selector: string;
  version: number;
  mode: LoadedInstance['mode'];
  username: string;
  auth_username: string;
  domain: string;
  registrar_uri: string | null;
  outbound_proxy_uri: string | null;
  transport: LoadedInstance['account']['transport'];
  requested_expires_s: number | null;
  password_ciphertext: Uint8Array;
  last_seen_at_ms: number | null;
  status: CheckpointRow['status'] | null;
  call_id: string | null;
  cseq: number | null;
  last_code: number | null;
  registration_version: number | null;
  expires_at_ms: number | null;
  last_at_ms: number | null;
}

interface DeviceRow {
  selector: string;
  device_id: string;
  app_id: string;
  platform: string;
  push_provider: InstanceDevice['provider'];
  push_token: string;
  voip_token: string | null;
  topic: string | null;
  presence: InstanceDevice['presence'];
  last_seen_at_ms: number | null;
  token_dead: boolean;
}

/** The requested prefixes as ranges, in order of their start. */
export function rangesOf(prefixes: readonly string[]): SelectorRange[] {
  return prefixes
    .map((text) => {
      const prefix = parsePrefix(text);
      return prefixRange(prefix.hex, prefix.bits);
    })
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

export async function loadPage(
  db: Database,
  request: LoadRequest,
  maxPageInstances: number,
): Promise<LoadPage> {
  if (request.cursor !== undefined && !isSelector(request.cursor)) {
    throw new PersisterError(PersisterErrorCode.BadCursor, 'cursor is not a previous nextCursor');
  }
  const limit = Math.min(request.limit, maxPageInstances);
  const rows: InstanceRow[] = [];
  let after = request.cursor ?? '';
  for (const range of rangesOf(request.prefixes)) {
    if (rows.length >= limit) break;
    const to = range.to ?? END;
    if (to <= after) continue;
    const { rows: found } = await db.query<InstanceRow>(PAGE, [
      range.from,
      to,
      after,
      limit - rows.length,
    ]);
    rows.push(...found);
    if (found.length > 0) after = found[found.length - 1]!.selector;
  }
  const devices = await devicesOf(
    db,
    rows.map((r) => r.selector),
  );
  return {
    instances: rows.map((row) => loadedInstance(row, devices.get(row.selector) ?? [])),
    nextCursor: rows.length === limit && rows.length > 0 ? after : null,
  };
}

async function devicesOf(
  db: Database,
  selectors: readonly string[],
): Promise<Map<string, InstanceDevice[]>> {
  const bySelector = new Map<string, InstanceDevice[]>();
  if (selectors.length === 0) return bySelector;
  const { rows } = await db.query<DeviceRow>(DEVICES, [selectors]);
  for (const row of rows) {
    const list = bySelector.get(row.selector) ?? [];
    list.push({
      deviceId: row.device_id,
      appId: row.app_id,
      platform: row.platform,
      provider: row.push_provider,
      token: row.push_token,
      voipToken: row.voip_token,
      topic: row.topic,
      presence: row.presence,
      lastSeenAt: row.last_seen_at_ms === null ? null : Number(row.last_seen_at_ms),
      tokenDead: row.token_dead,
    });
    bySelector.set(row.selector, list);
  }
  return bySelector;
}

function loadedInstance(row: InstanceRow, devices: InstanceDevice[]): LoadedInstance {
  return {
    selector: row.selector,
    version: Number(row.version),
    mode: row.mode,
    account: {
      username: row.username,
      authUsername: row.auth_username,
      domain: row.domain,
      registrar: row.registrar_uri,
      outboundProxy: row.outbound_proxy_uri,
      transport: row.transport,
      expiresSeconds: row.requested_expires_s,
      // The sealed bytes as @sipwake/secrets' string form (unpadded base64url); never opened here.
      passwordSealed: Buffer.from(row.password_ciphertext).toString('base64url'),
    },
    devices,
    lastSeenAt: row.last_seen_at_ms === null ? null : Number(row.last_seen_at_ms),
    registration:
      row.status === null
        ? null
        : {
            selector: row.selector,
            status: row.status,
            callId: row.call_id,
            cseq: row.cseq === null ? null : Number(row.cseq),
            expiresAt: row.expires_at_ms === null ? null : Number(row.expires_at_ms),
            lastCode: row.last_code,
            lastAt: row.last_at_ms === null ? null : Number(row.last_at_ms),
            version: Number(row.registration_version),
          },
  };
}
