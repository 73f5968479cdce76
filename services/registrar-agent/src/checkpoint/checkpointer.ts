// Checkpoints of registration state: rows coalesce by selector (the newest version wins), go out
// in CheckpointBatch requests on the checkpoint subject, and count as written only when the
// state-persister's reply says the batch committed. Nothing is ever dropped ("no lost state"):
// a batch not acknowledged is kept and sent again with the same batchId and the same rows (so
// the same versions), after a back-off with jitter, until it is. While batches wait, new rows
// stay queued and coalesce, and at most `maxUnackedBatches` batches are cut: so what waits is
// bounded by those batches plus one row per instance of the shard, however long the
// persister is away.
import type { Bus } from '@sipwake/bus';
import {
  CheckpointAck,
  CheckpointBatch,
  decodeReply,
  encodeMessage,
  subjects,
} from '@sipwake/contracts';
import type { CheckpointRow } from '@sipwake/contracts';
import type { Clock, TimerHandle } from '@sipwake/sip-stack';
import { injectTraceContext } from '@sipwake/telemetry';
import { randomUUID } from 'node:crypto';
import { AgentError, AgentErrorCode } from '../errors.js';
import { backoffMs } from '../registration/backoff.js';

export interface CheckpointerLog {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface CheckpointerOptions {
  readonly bus: Bus;
  readonly clock: Clock;
  readonly shard: string;
  readonly maxBatchRows: number;
  /** How long a changed row waits to be batched with others. */
  readonly intervalMs: number;
  /** First wait before unacknowledged batches are sent again; doubles per failure in a row. */
  readonly retryMs: number;
  /** Longest wait between resends. */
  readonly retryMaxMs: number;
  /** Batches cut and not yet acknowledged at most; further rows wait queued (coalescing). */
  readonly maxUnackedBatches: number;
  readonly requestTimeoutMs: number;
  /** A backlog (rows not committed) above this is logged as a warning; nothing is dropped. */
  readonly warnPendingRows: number;
  readonly log: CheckpointerLog;
  readonly newBatchId?: () => string;
  /** 0 ≤ random() < 1 for the back-off jitter; default Math.random. */
  readonly random?: () => number;
}

export interface CheckpointStats {
  /** Rows waiting to be cut into a batch (one per selector at most). */
  readonly queuedRows: number;
  readonly unackedBatches: number;
  /** Rows in unacknowledged batches. */
  readonly unackedRows: number;
  /** The backlog: rows not yet committed (queued + unacknowledged). */
  readonly pendingRows: number;
  /** How long the oldest uncommitted row has waited (ms), 0 when none waits. */
  readonly oldestPendingMs: number;
  readonly committedBatches: number;
  readonly failedSends: number;
  /** Failed sends since the last commit (drives the back-off). */
  readonly failuresInRow: number;
}

export interface Checkpointer {
  /** Queues the row; a queued row of the same selector with a lower version is replaced. */
  add(row: CheckpointRow): void;
  /**
   * Sends what is queued and what is unacknowledged until all is committed or a send fails;
   * true when all committed.
   */
  flush(): Promise<boolean>;
  stats(): CheckpointStats;
  /** Clears the timer. Rows not committed stay unwritten (call flush() first). Idempotent. */
  stop(): void;
}

interface Queued {
  readonly row: CheckpointRow;
  /** When a row of this selector started waiting (kept when a newer row replaces it). */
  readonly since: number;
}

interface Batch {
  readonly batch: CheckpointBatch;
  readonly since: number;
  sending: Promise<boolean> | undefined;
}

export function createCheckpointer(options: CheckpointerOptions): Checkpointer {
  const { bus, clock, log } = options;
  const newBatchId = options.newBatchId ?? randomUUID;
  const queued = new Map<string, Queued>();
  const unacked: Batch[] = [];
  let timer: TimerHandle | undefined;
  let stopped = false;
  let committedBatches = 0;
  let failedSends = 0;
  let failuresInRow = 0;
  let warned = false;

  const unackedRows = (): number => unacked.reduce((n, b) => n + b.batch.rows.length, 0);
  const pendingRows = (): number => queued.size + unackedRows();

  const arm = (delayMs: number): void => {
    if (stopped || timer !== undefined) return;
    timer = clock.setTimeout(() => {
      timer = undefined;
      void tick();
    }, delayMs);
  };

  const sendOnce = async (entry: Batch): Promise<boolean> => {
    try {
      const data = encodeMessage(CheckpointBatch, entry.batch, {
        subject: subjects.stateCheckpoint,
      });
      const reply = await bus.request(subjects.stateCheckpoint, data, {
        timeoutMs: options.requestTimeoutMs,
        headers: injectTraceContext({}),
      });
      const decoded = decodeReply(CheckpointAck, reply.data, { subject: subjects.stateCheckpoint });
      if (!decoded.ok) {
        throw new AgentError(AgentErrorCode.CheckpointFailed, decoded.error.code, {
          retryable: decoded.error.retryable,
        });
      }
      if (decoded.value.batchId !== entry.batch.batchId) {
        throw new AgentError(AgentErrorCode.CheckpointFailed, 'ack names another batch');
      }
      const index = unacked.indexOf(entry);
      if (index >= 0) unacked.splice(index, 1);
      committedBatches += 1;
      failuresInRow = 0;
      return true;
    } catch (error) {
      failedSends += 1;
      failuresInRow += 1;
      log.warn(
        { batchId: entry.batch.batchId, rows: entry.batch.rows.length, failuresInRow, err: error },
        'checkpoint batch not committed; kept to send again',
      );
      return false;
    }
  };
  /** One send of a batch at a time: a flush during a send waits for that send. */
  const send = (entry: Batch): Promise<boolean> => {
    entry.sending ??= sendOnce(entry).finally(() => (entry.sending = undefined));
    return entry.sending;
  };

  /** Moves queued rows, oldest first, into new batches while the window has room. */
  const cut = (): void => {
    while (queued.size > 0 && unacked.length < options.maxUnackedBatches) {
      const rows: CheckpointRow[] = [];
      let since = Infinity;
      for (const [selector, entry] of queued) {
        rows.push(entry.row);
        since = Math.min(since, entry.since);
        queued.delete(selector);
        if (rows.length >= options.maxBatchRows) break;
      }
      const batch = { shard: options.shard, batchId: newBatchId(), rows };
      unacked.push({ batch, since, sending: undefined });
    }
  };

  const watchBacklog = (): void => {
    const pending = pendingRows();
    if (!warned && pending > options.warnPendingRows) {
      warned = true;
      log.warn({ pendingRows: pending, failuresInRow }, 'checkpoint backlog is growing');
    } else if (warned && pending === 0) {
      warned = false;
      log.info({ committedBatches }, 'checkpoint backlog written');
    }
  };

  /** Cuts and sends one window; true when every send of it committed. */
  const round = async (): Promise<boolean> => {
    cut();
    const results = await Promise.all(unacked.slice().map((b) => send(b)));
    return results.every(Boolean);
  };

  const tick = async (): Promise<boolean> => {
    const ok = await round();
    watchBacklog();
    if (unacked.length > 0 || !ok) {
      arm(backoffMs(failuresInRow, backoffOptions()));
    } else if (queued.size > 0) {
      // The window was full: the next batches go at once, the rows are already due.
      arm(0);
    }
    return ok && unacked.length === 0 && queued.size === 0;
  };
  const backoffOptions = () => ({
    minMs: options.retryMs,
    maxMs: options.retryMaxMs,
    ...(options.random === undefined ? {} : { random: options.random }),
  });

  return {
    add(row) {
      const held = queued.get(row.selector);
      if (held && held.row.version > row.version) return;
      // A replaced row keeps its place: the map stays in order of waiting, oldest first.
      queued.set(row.selector, { row, since: held?.since ?? clock.now() });
      arm(options.intervalMs);
    },
    async flush() {
      // Bounded: each round commits a window or stops at the first failure.
      const rounds = Math.ceil(pendingRows() / options.maxBatchRows) + options.maxUnackedBatches;
      for (let n = 0; n <= rounds; n++) {
        if (!(await round())) break;
        if (unacked.length === 0 && queued.size === 0) break;
      }
      watchBacklog();
      return unacked.length === 0 && queued.size === 0;
    },
    stats() {
      const now = clock.now();
      const first = queued.values().next();
      const oldest = Math.min(
        first.done === true ? Infinity : first.value.since,
        ...unacked.map((b) => b.since),
      );
      return {
        queuedRows: queued.size,
        unackedBatches: unacked.length,
        unackedRows: unackedRows(),
        pendingRows: pendingRows(),
        oldestPendingMs: oldest === Infinity ? 0 : Math.max(0, now - oldest),
        committedBatches,
        failedSends,
        failuresInRow,
      };
    },
    stop() {
      stopped = true;
      clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
