// Re-sealing secrets under the current key, with no database of its own: rows come and go
// through the caller's functions. Rotation without downtime: add a key (it becomes current, the
// old ones stay so every process still opens every row), restart or reload the processes,
// run rotateAll until it reports no failures, then remove the old key.
import { SecretsError } from './errors.js';
import type { SecretsErrorCode } from './errors.js';
import type { KeyRing } from './key-ring.js';
import { needsRotation, openSecretBytes, sealSecret, sealedToString } from './sealed.js';
import type { Sealed, SealOptions } from './sealed.js';

/**
 * Re-seals a secret under the ring's current key, in the same form (bytes or string).
 * A secret already under the current key is returned as it is (the same value).
 */
export function rotateSealed(ring: KeyRing, sealed: string, options: SealOptions): string;
export function rotateSealed(ring: KeyRing, sealed: Uint8Array, options: SealOptions): Uint8Array;
export function rotateSealed(ring: KeyRing, sealed: Sealed, options: SealOptions): Sealed;
export function rotateSealed(ring: KeyRing, sealed: Sealed, options: SealOptions): Sealed {
  if (!needsRotation(ring, sealed)) return sealed;
  const plaintext = openSecretBytes(ring, sealed, options);
  try {
    const resealed = sealSecret(ring, plaintext, options);
    return typeof sealed === 'string' ? sealedToString(resealed) : resealed;
  } finally {
    plaintext.fill(0);
  }
}

/** A row key usable as a keyset cursor. */
export type RowId = string | number | bigint;

export interface SealedRow<Id extends RowId> {
  readonly id: Id;
  readonly sealed: Sealed;
  /** The AAD the secret was sealed with (e.g. `instancePasswordAad(selector)`). */
  readonly aad: string | Uint8Array;
}

export interface ResealedRow<Id extends RowId> {
  readonly id: Id;
  /** The value read: store it only where the row still holds it (compare-and-set). */
  readonly previous: Sealed;
  readonly sealed: Sealed;
}

export interface RotateAllOptions<Id extends RowId> {
  readonly ring: KeyRing;
  /**
   * The next rows after `after` (undefined: from the start), ordered by id, at most `limit`.
   * An empty answer ends the walk.
   */
  fetchBatch(page: {
    readonly after: Id | undefined;
    readonly limit: number;
  }): Promise<readonly SealedRow<Id>[]>;
  /**
   * Writes the re-sealed rows. A row changed meanwhile (its value is no longer `previous`)
   * should be left alone: it was written by a process holding the ring, so it is under a key
   * the ring knows. Returns how many rows were written (default: all of them).
   */
  store(rows: readonly ResealedRow<Id>[]): Promise<number | void>;
  /** Rows per batch; default 500. */
  readonly batchSize?: number;
  /** Called after each batch with the running counts (for a progress line). */
  onBatch?(report: RotateReport<Id>): void;
  /** Stops between batches; the report then says `complete: false`. */
  readonly signal?: AbortSignal;
}

export interface RotationFailure<Id extends RowId> {
  readonly id: Id;
  readonly code: SecretsErrorCode;
}

export interface RotateReport<Id extends RowId> {
  readonly batches: number;
  readonly scanned: number;
  /** Re-sealed and handed to `store`, less the rows `store` reported as changed meanwhile. */
  readonly rotated: number;
  readonly alreadyCurrent: number;
  /** Rows `store` did not write because they changed meanwhile. */
  readonly skipped: number;
  /** Rows that did not open (unknown key, altered, wrong AAD); they are left as they are. */
  readonly failed: number;
  /** The first failures (at most 100), by row id and code. */
  readonly failures: readonly RotationFailure<Id>[];
  /** Every row was visited (not aborted). */
  readonly complete: boolean;
}

const MAX_FAILURES_LISTED = 100;

/** Thrown when fetchBatch or store throws; `report` says how far the walk got. */
export class RotationError<Id extends RowId> extends SecretsError {
  override readonly name: string = 'RotationError';
  readonly report: RotateReport<Id>;

  constructor(message: string, report: RotateReport<Id>, cause: unknown) {
    super('ROTATION_INTERRUPTED', message, { cause });
    this.report = report;
  }
}

/**
 * Walks every row in batches, re-sealing those not under the current key. Idempotent: a second
 * run finds every row current. A row that does not open is counted and left alone.
 */
export async function rotateAll<Id extends RowId>(
  options: RotateAllOptions<Id>,
): Promise<RotateReport<Id>> {
  const limit = options.batchSize ?? 500;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${limit}`);
  }
  const counts = { batches: 0, scanned: 0, rotated: 0, alreadyCurrent: 0, skipped: 0, failed: 0 };
  const failures: RotationFailure<Id>[] = [];
  const report = (complete: boolean): RotateReport<Id> => ({
    ...counts,
    failures: [...failures],
    complete,
  });
  let after: Id | undefined;
  for (;;) {
    if (options.signal?.aborted === true) return report(false);
    const rows = await step('fetchBatch', report, () => options.fetchBatch({ after, limit }));
    if (rows.length === 0) return report(true);
    const last = rows[rows.length - 1]!.id;
    if (after !== undefined && last === after) {
      throw new RotationError(
        `fetchBatch returned the same last row again (${String(last)}): it must return rows after the cursor`,
        report(false),
        undefined,
      );
    }
    const resealed: ResealedRow<Id>[] = [];
    for (const row of rows) {
      counts.scanned += 1;
      try {
        const next = rotateSealed(options.ring, row.sealed, { aad: row.aad });
        if (next === row.sealed) counts.alreadyCurrent += 1;
        else resealed.push({ id: row.id, previous: row.sealed, sealed: next });
      } catch (error) {
        if (!(error instanceof SecretsError)) throw error;
        counts.failed += 1;
        if (failures.length < MAX_FAILURES_LISTED) failures.push({ id: row.id, code: error.code });
      }
    }
    if (resealed.length > 0) {
      const written = await step('store', report, () => options.store(resealed));
      const stored =
        typeof written === 'number' ? Math.min(written, resealed.length) : resealed.length;
      counts.rotated += stored;
      counts.skipped += resealed.length - stored;
    }
    counts.batches += 1;
    after = last;
    options.onBatch?.(report(false));
  }
}

async function step<T, Id extends RowId>(
  what: string,
  report: (complete: boolean) => RotateReport<Id>,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const counts = report(false);
    throw new RotationError(
      `key rotation stopped: ${what} failed after ${counts.scanned} rows (${counts.rotated} rotated); running it again continues`,
      counts,
      error,
    );
  }
}
