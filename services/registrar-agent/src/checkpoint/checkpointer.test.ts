// The checkpointer on the in-process bus against a persister stand-in, on a manual clock.
import { createInProcessBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import type { CheckpointRow } from '@sipwake/contracts';
import { manualAgentClock } from '../clock.js';
import { createCheckpointer } from './checkpointer.js';
import type { Checkpointer } from './checkpointer.js';
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

  beforeEach(() => {
    bus = createInProcessBus();
    persister = startFakePersister(bus);
    checkpointer = createCheckpointer({
      bus,
      clock,
      shard: 'shard-a',
      maxBatchRows: 2,
      intervalMs: 1000,
      retryMs: 5000,
      requestTimeoutMs: 1000,
      maxPendingRows: 4,
      log: { debug() {}, warn() {} },
      newBatchId: () => `batch-${++ids}`,
    });
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

  it('keeps at most maxPendingRows rows waiting, dropping the oldest queued', async () => {
    for (let n = 1; n <= 6; n++) checkpointer.add(row(n, 1));
    expect(checkpointer.stats()).toMatchObject({ queuedRows: 4, droppedRows: 2 });
    await checkpointer.flush();
    const selectors = persister.batches.flatMap((b) =>
      b.rows.map((r) => Number(`0x${r.selector}`)),
    );
    expect(selectors).toEqual([3, 4, 5, 6]);
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
