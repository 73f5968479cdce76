// A checkpoint sender that behaves as a registrar-agent does: state changes are noted per
// selector (the newest version wins), batches are cut from what is noted, and a batch that was
// not acknowledged (an ErrorReply, a timeout) is kept and sent again with the same id and rows
// before anything newer. Every attempt is recorded with its outcome, for the test to judge.
import type { Bus } from '@sipwake/bus';
import type { CheckpointBatch, CheckpointRow } from '@sipwake/contracts';
import { sendBatch } from './store.js';

export interface Attempt {
  readonly batch: CheckpointBatch;
  readonly outcome: 'ack' | 'error' | 'timeout';
  readonly code?: string;
}

export interface AgentSender {
  /** A state change: the row replaces what is noted for its selector. */
  note(row: CheckpointRow): void;
  /** Sends the kept batch again, or a new one cut from the noted rows; false when nothing to send. */
  sendOnce(): Promise<Attempt | undefined>;
  /** Nothing noted and nothing unacknowledged. */
  idle(): boolean;
  readonly attempts: readonly Attempt[];
}

export interface AgentSenderOptions {
  readonly bus: Bus;
  readonly shard: string;
  readonly maxRows: number;
  /** Called with each acknowledged batch before the next send (e.g. to check it was committed). */
  readonly onAck?: (batch: CheckpointBatch) => Promise<void>;
}

export function createAgentSender(options: AgentSenderOptions): AgentSender {
  const noted = new Map<string, CheckpointRow>();
  const attempts: Attempt[] = [];
  let kept: CheckpointBatch | undefined;
  let sequence = 0;

  const nextBatch = (): CheckpointBatch | undefined => {
    if (kept !== undefined) return kept;
    if (noted.size === 0) return undefined;
    const rows: CheckpointRow[] = [];
    for (const [selector, row] of noted) {
      rows.push(row);
      noted.delete(selector);
      if (rows.length >= options.maxRows) break;
    }
    sequence += 1;
    return { shard: options.shard, batchId: `${options.shard}-${sequence}`, rows };
  };

  return {
    attempts,
    note(row) {
      const seen = noted.get(row.selector);
      if (seen === undefined || seen.version < row.version) noted.set(row.selector, row);
    },
    idle: () => kept === undefined && noted.size === 0,
    async sendOnce() {
      const batch = nextBatch();
      if (batch === undefined) return undefined;
      let attempt: Attempt;
      try {
        const reply = await sendBatch(options.bus, batch);
        attempt = reply.ok
          ? { batch, outcome: 'ack' }
          : { batch, outcome: 'error', code: reply.error.code };
      } catch {
        attempt = { batch, outcome: 'timeout' };
      }
      attempts.push(attempt);
      if (attempt.outcome === 'ack') {
        kept = undefined;
        await options.onAck?.(batch);
      } else {
        kept = batch;
      }
      return attempt;
    },
  };
}
