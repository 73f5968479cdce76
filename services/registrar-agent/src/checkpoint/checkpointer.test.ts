// The checkpointer on the in-process bus against a persister stand-in, on a manual clock:
// coalescing, resends with the same batch, no row dropped, the backlog, the back-off.
import { createInProcessBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import type { CheckpointRow } from '@sipwake/contracts';
import { manualAgentClock } from '../clock.js';
import { createCheckpointer } from './checkpointer.js';
import type { Checkpointer, CheckpointerOptions } from './checkpointer.js';
import { startFakePersister } from './test-support/fake-persister.js';
import type { FakePersister } from './test-support/fake-persister.js';

const row = (n: number, version: number): CheckpointRow => ({
  selector: n.toString(16).padStart(40, '0'),
  status: 'registered',
  callId: `call-${n}`,
  cseq: version,
  expiresAt: 1000,
  lastCode: 200,
  lastAt: 900,
  version,
});

describe('checkpointer', () => {
  let bus: Bus;
  let persister: FakePersister;
  let checkpointer: Checkpointer;
  const clock = manualAgentClock();
  let ids = 0;
  const warnings: string[] = [];
  const make = (over: Partial<CheckpointerOptions> = {}): Checkpointer =>
    createCheckpointer({
      bus,
      clock,
      shard: 'shard-a',
      maxBatchRows: 2,
      intervalMs: 1000,
      retryMs: 5000,
      retryMaxMs: 12_000,
      maxUnackedBatches: 8,
      warnPendingRows: 5,
      requestTimeoutMs: 1000,
      log: { debug() {}, info() {}, warn: (_f, message) => warnings.push(message) },
      newBatchId: () => `batch-${++ids}`,
      random: () => 0.5,
      ...over,
    });
  const tick = async (ms: number): Promise<void> => {
    clock.advance(ms);
    for (let i = 0; i < 5; i++) {
      await bus.flush();
      await new Promise((r) => setImmediate(r));
    }
  };

  beforeEach(() => {
    bus = createInProcessBus();
    persister = startFakePersister(bus);
    warnings.length = 0;
    checkpointer = make();
  });
  afterEach(async () => {
    checkpointer.stop();
    persister.stop();
    await bus.close();
  });

  it('coalesces rows by selector (newest version) and cuts batches of maxBatchRows', async () => {
    checkpointer.add(row(1, 1));
    checkpointer.add(row(1, 3));
    checkpointer.add(row(1, 2)); // older than the one queued: ignored
    checkpointer.add(row(2, 1));
    checkpointer.add(row(3, 1));
    expect(await checkpointer.flush()).toBe(true);
    expect(
      persister.batches.map((b) => b.rows.map((r) => [r.selector.slice(-1), r.version])),
    ).toEqual([
      [
        ['1', 3],
        ['2', 1],
      ],
      [['3', 1]],
    ]);
    expect(checkpointer.stats()).toMatchObject({ queuedRows: 0, unackedBatches: 0 });
  });

  it('resends an unacknowledged batch with the same batchId and versions until it commits', async () => {
    persister.failNext = 2;
    checkpointer.add(row(7, 5));
    expect(await checkpointer.flush()).toBe(false);
    checkpointer.add(row(8, 1)); // a later row goes in a new batch, not into the kept one
    expect(await checkpointer.flush()).toBe(false);
    expect(await checkpointer.flush()).toBe(true);
    const sent = persister.batches.map((b) => `${b.batchId}:${b.rows.map((r) => r.version)}`);
    expect(sent[0]).toBe(sent[1]);
    expect(sent.filter((s) => s === sent[0])).toHaveLength(3);
    expect(persister.batches.every((b) => b.shard === 'shard-a')).toBe(true);
    expect(checkpointer.stats()).toMatchObject({ unackedBatches: 0, failedSends: 2 });
  });

  it('drops nothing while the persister is away; the backlog stays one row per selector', async () => {
    checkpointer.stop();
    checkpointer = make({ maxUnackedBatches: 1 });
    persister.failNext = 1_000;
    for (let version = 1; version <= 20; version++) {
      for (let n = 1; n <= 6; n++) checkpointer.add(row(n, version));
      expect(await checkpointer.flush()).toBe(false);
      // One batch of 2 cut and kept; newer rows of every selector wait queued, coalesced.
      const queuedRows = version === 1 ? 4 : 6;
      expect(checkpointer.stats()).toMatchObject({
        unackedBatches: 1,
        unackedRows: 2,
        queuedRows,
        pendingRows: queuedRows + 2,
      });
    }
    expect(new Set(persister.batches.map((b) => b.batchId)).size).toBe(1);
    expect(warnings).toContain('checkpoint backlog is growing');
    persister.failNext = 0;
    expect(await checkpointer.flush()).toBe(true);
    const stored = [...Array(6).keys()].map((i) => {
      const selector = (i + 1).toString(16).padStart(40, '0');
      return persister.batches
        .flatMap((b) => b.rows)
        .filter((r) => r.selector === selector)
        .map((r) => r.version)
        .pop();
    });
    expect(stored).toEqual([20, 20, 20, 20, 20, 20]);
    expect(checkpointer.stats()).toMatchObject({ pendingRows: 0, oldestPendingMs: 0 });
  });

  it('shows how long the oldest uncommitted row has waited', async () => {
    persister.failNext = 1;
    checkpointer.add(row(1, 1));
    await tick(1000);
    checkpointer.add(row(2, 1));
    await tick(500);
    expect(checkpointer.stats()).toMatchObject({ pendingRows: 2, oldestPendingMs: 1500 });
  });

  it('resends with a doubling, jittered back-off up to retryMaxMs, and resets it on commit', async () => {
    persister.failNext = 4;
    checkpointer.add(row(9, 1));
    await tick(1000);
    expect(persister.batches).toHaveLength(1);
    // random 0.5: three quarters of 5 s, 10 s, then of the 12 s cap.
    for (const wait of [3750, 7500, 9000, 9000]) {
      await tick(wait - 1);
      const before = persister.batches.length;
      await tick(1);
      expect(persister.batches.length).toBe(before + 1);
    }
    expect(checkpointer.stats()).toMatchObject({ unackedBatches: 0, failuresInRow: 0 });
    expect(persister.batches.every((b) => b.batchId === persister.batches[0]!.batchId)).toBe(true);
  });

  it('sends on its own after the interval, and retries after retryMs', async () => {
    persister.failNext = 1;
    checkpointer.add(row(9, 1));
    clock.advance(1000);
    await bus.flush();
    await new Promise((r) => setImmediate(r));
    expect(persister.batches).toHaveLength(1);
    clock.advance(5000);
    await bus.flush();
    await new Promise((r) => setImmediate(r));
    expect(persister.batches).toHaveLength(2);
    expect(checkpointer.stats().unackedBatches).toBe(0);
  });
});
