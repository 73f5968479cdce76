// Checkpoints of registration state: rows coalesce by selector (the newest version wins), go out
// in CheckpointBatch requests on the checkpoint subject, and count as written only when the
// state-persister's reply says the batch committed. A batch not acknowledged is kept and sent
// again with the same batchId and the same rows (so the same versions), until it is.
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

export interface CheckpointerLog {
  debug(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface CheckpointerOptions {
  readonly bus: Bus;
  readonly clock: Clock;
  readonly shard: string;
  readonly maxBatchRows: number;
  /** How long a changed row waits to be batched with others. */
  readonly intervalMs: number;
  /** Wait before an unacknowledged batch is sent again. */
  readonly retryMs: number;
  readonly requestTimeoutMs: number;
  /** Rows waiting (queued and in unacknowledged batches) at most; the oldest queued are dropped. */
  readonly maxPendingRows: number;
  readonly log: CheckpointerLog;
  readonly newBatchId?: () => string;
}

export interface CheckpointStats {
  readonly queuedRows: number;
  readonly unackedBatches: number;
  readonly committedBatches: number;
  readonly failedSends: number;
  readonly droppedRows: number;
}

export interface Checkpointer {
  /** Queues the row; a queued row of the same selector with a lower version is replaced. */
  add(row: CheckpointRow): void;
  /** Sends what is queued and resends what is unacknowledged, once; true when all committed. */
  flush(): Promise<boolean>;
  stats(): CheckpointStats;
  /** Clears the timer. Rows not committed stay unwritten (call flush() first). Idempotent. */
  stop(): void;
}

interface Batch {
  readonly batch: CheckpointBatch;
  sending: boolean;
}

export function createCheckpointer(options: CheckpointerOptions): Checkpointer {
  const { bus, clock, log } = options;
  const newBatchId = options.newBatchId ?? randomUUID;
  const queued = new Map<string, CheckpointRow>();
  const unacked: Batch[] = [];
  let timer: TimerHandle | undefined;
  let stopped = false;
  let committedBatches = 0;
  let failedSends = 0;
  let droppedRows = 0;

  const unackedRows = (): number => unacked.reduce((n, b) => n + b.batch.rows.length, 0);

  const arm = (delayMs: number): void => {
    if (stopped || timer !== undefined) return;
    timer = clock.setTimeout(() => {
      timer = undefined;
      void tick();
    }, delayMs);
  };

  const send = async (entry: Batch): Promise<boolean> => {
    if (entry.sending) return false;
    entry.sending = true;
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
      return true;
    } catch (error) {
      failedSends += 1;
      log.warn(
        { batchId: entry.batch.batchId, rows: entry.batch.rows.length, err: error },
        'checkpoint batch not committed; kept to send again',
      );
      return false;
    } finally {
      entry.sending = false;
    }
  };

  /** Moves queued rows into new batches (at most maxBatchRows each). */
  const cut = (): void => {
    while (queued.size > 0) {
      const rows: CheckpointRow[] = [];
      for (const [selector, row] of queued) {
        rows.push(row);
        queued.delete(selector);
        if (rows.length >= options.maxBatchRows) break;
      }
      unacked.push({
        batch: { shard: options.shard, batchId: newBatchId(), rows },
        sending: false,
      });
    }
  };

  const tick = async (): Promise<boolean> => {
    cut();
    const results = await Promise.all(unacked.slice().map((b) => send(b)));
    const done = results.every(Boolean) && unacked.length === 0 && queued.size === 0;
    if (unacked.length > 0) arm(options.retryMs);
    else if (queued.size > 0) arm(options.intervalMs);
    return done;
  };

  return {
    add(row) {
      const held = queued.get(row.selector);
      if (held && held.version > row.version) return;
      queued.delete(row.selector); // re-insert: the map keeps insertion order, oldest first
      queued.set(row.selector, row);
      // Bounded: when too much waits (the persister is away), the oldest queued rows go; each
      // selector's newest state is kept while it fits.
      while (queued.size > 0 && queued.size + unackedRows() > options.maxPendingRows) {
        const oldest = queued.keys().next().value as string;
        queued.delete(oldest);
        droppedRows += 1;
      }
      arm(options.intervalMs);
    },
    flush: () => tick(),
    stats: () => ({
      queuedRows: queued.size,
      unackedBatches: unacked.length,
      committedBatches,
      failedSends,
      droppedRows,
    }),
    stop() {
      stopped = true;
      clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
