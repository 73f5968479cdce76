import { SecretsError } from './errors.js';
import { createKeyRing } from './key-ring.js';
import type { KeyRing } from './key-ring.js';
import { RotationError, rotateAll, rotateSealed } from './rotate.js';
import type { ResealedRow, SealedRow } from './rotate.js';
import { instancePasswordAad, keyIdOf, openSecret, sealSecret, sealedToString } from './sealed.js';
import type { Sealed } from './sealed.js';

const k1 = Buffer.alloc(32, 0x11);
const k2 = Buffer.alloc(32, 0x22);
const oldRing = createKeyRing({ current: 'k1', keys: { k1 } });
const newRing = createKeyRing({ current: 'k2', keys: { k1, k2 } });

describe('rotateSealed', () => {
  const aad = { aad: instancePasswordAad('00aa') };

  it('re-seals a secret of the old key under the current one, in the same form', () => {
    const sealed = sealSecret(oldRing, 'pw-1', aad);
    const rotated = rotateSealed(newRing, sealed, aad);
    expect(keyIdOf(rotated)).toBe('k2');
    expect(openSecret(newRing, rotated, aad)).toBe('pw-1');
    const asText = rotateSealed(newRing, sealedToString(sealed), aad);
    expect(typeof asText).toBe('string');
    expect(keyIdOf(asText)).toBe('k2');
    expect(openSecret(newRing, asText, aad)).toBe('pw-1');
  });

  it('returns a secret already under the current key unchanged', () => {
    const sealed = sealSecret(newRing, 'pw-2', aad);
    expect(rotateSealed(newRing, sealed, aad)).toBe(sealed);
  });

  it('refuses a secret that does not open (wrong AAD, unknown key)', () => {
    const sealed = sealSecret(oldRing, 'pw-3', aad);
    expect(() => rotateSealed(newRing, sealed, { aad: 'other row' })).toThrow(
      expect.objectContaining({ code: 'DECRYPT_FAILED' }),
    );
    const onlyK2 = createKeyRing({ current: 'k2', keys: { k2 } });
    expect(() => rotateSealed(onlyK2, sealed, aad)).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_KEY_ID' }),
    );
  });
});

/** An in-memory table of instance passwords, keyed and ordered by selector. */
class Table {
  readonly rows = new Map<string, Sealed>();
  readonly fetches: { after: string | undefined; limit: number }[] = [];
  stores = 0;

  constructor(ring: KeyRing, count: number) {
    for (let i = 0; i < count; i++) {
      const selector = i.toString(16).padStart(40, '0');
      this.rows.set(
        selector,
        sealSecret(ring, `password-${i}`, { aad: instancePasswordAad(selector) }),
      );
    }
  }

  fetchBatch = async (page: { after: string | undefined; limit: number }) => {
    this.fetches.push(page);
    return [...this.rows.keys()]
      .sort()
      .filter((id) => page.after === undefined || id > page.after)
      .slice(0, page.limit)
      .map((id): SealedRow<string> => ({
        id,
        sealed: this.rows.get(id)!,
        aad: instancePasswordAad(id),
      }));
  };

  store = async (rows: readonly ResealedRow<string>[]) => {
    this.stores += 1;
    let written = 0;
    for (const row of rows) {
      // Compare-and-set: a row changed meanwhile is left alone.
      if (this.rows.get(row.id) === row.previous) {
        this.rows.set(row.id, row.sealed);
        written += 1;
      }
    }
    return written;
  };

  keyIds(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const sealed of this.rows.values()) {
      const id = keyIdOf(sealed);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }
}

describe('rotateAll', () => {
  it('walks the table in batches, re-seals every old row, and a re-run changes nothing', async () => {
    const table = new Table(oldRing, 23);
    // Three rows were already written under the new key by a process holding the new ring.
    for (const id of [...table.rows.keys()].slice(0, 3)) {
      table.rows.set(id, sealSecret(newRing, 'fresh', { aad: instancePasswordAad(id) }));
    }
    const progress: number[] = [];
    const report = await rotateAll({
      ring: newRing,
      fetchBatch: table.fetchBatch,
      store: table.store,
      batchSize: 5,
      onBatch: (r) => progress.push(r.scanned),
    });
    expect(report).toEqual({
      batches: 5,
      scanned: 23,
      rotated: 20,
      alreadyCurrent: 3,
      skipped: 0,
      failed: 0,
      failures: [],
      complete: true,
    });
    expect(progress).toEqual([5, 10, 15, 20, 23]);
    expect(table.fetches.map((f) => f.limit)).toEqual([5, 5, 5, 5, 5, 5]);
    expect(table.fetches[0]!.after).toBeUndefined();
    expect(table.keyIds()).toEqual(new Map([['k2', 23]]));
    for (const [id, sealed] of [...table.rows].slice(3)) {
      expect(openSecret(newRing, sealed, { aad: instancePasswordAad(id) })).toMatch(/^password-/);
    }
    // The old key can go now: a ring of the new key alone opens every row.
    const onlyK2 = createKeyRing({ current: 'k2', keys: { k2 } });
    for (const [id, sealed] of table.rows) {
      expect(() => openSecret(onlyK2, sealed, { aad: instancePasswordAad(id) })).not.toThrow();
    }

    const storesBefore = table.stores;
    const again = await rotateAll({
      ring: newRing,
      fetchBatch: table.fetchBatch,
      store: table.store,
      batchSize: 5,
    });
    expect(again).toMatchObject({ scanned: 23, rotated: 0, alreadyCurrent: 23, complete: true });
    expect(table.stores).toBe(storesBefore);
  });

  it('counts rows that do not open and leaves them as they are', async () => {
    const table = new Table(oldRing, 6);
    const ids = [...table.rows.keys()];
    // A password copied from another row: its AAD names the other selector.
    table.rows.set(ids[1]!, table.rows.get(ids[0]!)!);
    const stranger = createKeyRing({ current: 'k9', keys: { k9: Buffer.alloc(32, 9) } });
    table.rows.set(ids[4]!, sealSecret(stranger, 'x', { aad: instancePasswordAad(ids[4]!) }));
    const copied = table.rows.get(ids[1]!);
    const report = await rotateAll({
      ring: newRing,
      fetchBatch: table.fetchBatch,
      store: table.store,
      batchSize: 4,
    });
    expect(report).toMatchObject({ scanned: 6, rotated: 4, failed: 2, complete: true });
    expect(report.failures).toEqual([
      { id: ids[1], code: 'DECRYPT_FAILED' },
      { id: ids[4], code: 'UNKNOWN_KEY_ID' },
    ]);
    expect(table.rows.get(ids[1]!)).toBe(copied);
  });

  it('counts rows changed meanwhile as skipped (store wrote fewer)', async () => {
    const table = new Table(oldRing, 4);
    const report = await rotateAll({
      ring: newRing,
      fetchBatch: table.fetchBatch,
      store: async (rows) => {
        // Another process changed the first row between the read and the write.
        table.rows.set(
          rows[0]!.id,
          sealSecret(newRing, 'changed', { aad: instancePasswordAad(rows[0]!.id) }),
        );
        return table.store(rows);
      },
    });
    expect(report).toMatchObject({ scanned: 4, rotated: 3, skipped: 1, batches: 1 });
    expect(table.keyIds()).toEqual(new Map([['k2', 4]]));
  });

  it('stops with ROTATION_INTERRUPTED and the counts so far when store throws; a re-run finishes', async () => {
    const table = new Table(oldRing, 10);
    let calls = 0;
    const flaky = async (rows: readonly ResealedRow<string>[]) => {
      calls += 1;
      if (calls === 2) throw new Error('connection terminated');
      return table.store(rows);
    };
    let error: unknown;
    try {
      await rotateAll({ ring: newRing, fetchBatch: table.fetchBatch, store: flaky, batchSize: 3 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RotationError);
    expect(error).toBeInstanceOf(SecretsError);
    const rotation = error as RotationError<string>;
    expect(rotation.code).toBe('ROTATION_INTERRUPTED');
    expect(rotation.report).toMatchObject({ rotated: 3, scanned: 6, complete: false });
    expect((rotation.cause as Error).message).toBe('connection terminated');
    const rest = await rotateAll({
      ring: newRing,
      fetchBatch: table.fetchBatch,
      store: table.store,
      batchSize: 3,
    });
    expect(rest).toMatchObject({ rotated: 7, alreadyCurrent: 3, complete: true });
    expect(table.keyIds()).toEqual(new Map([['k2', 10]]));
  });

  it('stops between batches when aborted', async () => {
    const table = new Table(oldRing, 10);
    const abort = new AbortController();
    const report = await rotateAll({
      ring: newRing,
      fetchBatch: table.fetchBatch,
      store: table.store,
      batchSize: 4,
      signal: abort.signal,
      onBatch: () => abort.abort(),
    });
    expect(report).toMatchObject({ batches: 1, scanned: 4, rotated: 4, complete: false });
  });

  it('refuses a fetchBatch that ignores the cursor instead of looping forever', async () => {
    const table = new Table(oldRing, 4);
    const stuck = () => table.fetchBatch({ after: undefined, limit: 2 });
    await expect(
      rotateAll({ ring: newRing, fetchBatch: stuck, store: table.store, batchSize: 2 }),
    ).rejects.toMatchObject({ code: 'ROTATION_INTERRUPTED', report: { batches: 1, scanned: 2 } });
  });

  it('refuses a batch size that is not a positive integer', async () => {
    const table = new Table(oldRing, 1);
    await expect(
      rotateAll({ ring: newRing, fetchBatch: table.fetchBatch, store: table.store, batchSize: 0 }),
    ).rejects.toThrow(RangeError);
  });
});
