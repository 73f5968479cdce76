// The SQL of PATCH /v1/instances/{selector}: the given settings in one UPDATE, the version
// bumped, in one transaction with the read of the instance the answer shows. Column names are
// a fixed list here; values always travel as parameters.
import type { Database } from '@sipwake/db';
import type { InstanceMode } from '@sipwake/contracts';
import { readInstance } from './store.js';
import type { DeviceRow, InstanceRow } from './store.js';

/** What changes; an absent field stays as it is, a null URI clears it. */
export interface InstancePatch {
  readonly password?: { readonly sealed: Uint8Array; readonly keyId: string };
  readonly registrar?: string | null;
  readonly outboundProxy?: string | null;
  readonly transport?: 'udp' | 'tcp' | 'tls';
  readonly expiresSeconds?: number;
  readonly mode?: InstanceMode;
}

/** The SET list and its parameters ($1 is the selector). */
export function patchAssignments(patch: InstancePatch): { sets: string[]; params: unknown[] } {
  const sets: string[] = [];
  const params: unknown[] = [];
  const set = (column: string, value: unknown): void => {
    params.push(value);
    sets.push(`${column} = $${params.length + 1}`);
  };
  if (patch.password !== undefined) {
    set('password_ciphertext', patch.password.sealed);
    set('password_key_id', patch.password.keyId);
    // New credentials deserve another try, as a new hand-over gets.
    sets.push(
      `state = CASE WHEN state IN ('unauthorized', 'error') THEN 'registering' ELSE state END`,
    );
  }
  if (patch.registrar !== undefined) set('registrar_uri', patch.registrar);
  if (patch.outboundProxy !== undefined) set('outbound_proxy_uri', patch.outboundProxy);
  if (patch.transport !== undefined) set('transport', patch.transport);
  if (patch.expiresSeconds !== undefined) set('requested_expires_s', patch.expiresSeconds);
  if (patch.mode !== undefined) set('mode', patch.mode);
  sets.push('version = version + 1', 'updated_at = now()');
  return { sets, params };
}

/** Applies the patch; the instance as it is after it, or undefined when there is no such row. */
export async function patchInstance(
  db: Database,
  selector: string,
  patch: InstancePatch,
): Promise<{ instance: InstanceRow; devices: DeviceRow[] } | undefined> {
  const { sets, params } = patchAssignments(patch);
  return db.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      `UPDATE instances SET ${sets.join(', ')} WHERE selector = $1`,
      [selector, ...params],
    );
    if (rowCount === 0) return undefined;
    return readInstance(tx, selector);
  });
}
