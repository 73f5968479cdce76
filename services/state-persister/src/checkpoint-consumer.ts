// sw.state.checkpoint: decode the batch whole (a bad one is refused with the reason, nothing
// written), write it in one transaction, and acknowledge only after COMMIT. A database error is
// answered with a retryable ErrorReply and nothing partial stays: the agent keeps the batch and
// sends it again.
import type { BusMessage } from '@sipwake/bus';
import {
  CheckpointAck,
  CheckpointBatch,
  decodeMessage,
  encodeMessage,
  subjects,
} from '@sipwake/contracts';
import type { Database } from '@sipwake/db';
import { writeCheckpoints } from './checkpoint-writer.js';
import { encodeErrorReply, errorReplyFor } from './error-reply.js';
import type { PersisterLog } from './types.js';

export function checkpointHandler(
  db: Database,
  log: PersisterLog,
): (msg: BusMessage) => Promise<void> {
  return async (msg) => {
    const { data } = msg;
    let batch: CheckpointBatch;
    try {
      batch = decodeMessage(CheckpointBatch, data, { subject: subjects.stateCheckpoint });
    } catch (error) {
      const reply = errorReplyFor(error, 'checkpoint');
      log.warn({ code: reply.code, reason: reply.message }, 'checkpoint batch refused');
      msg.respond(encodeErrorReply(reply));
      return;
    }
    try {
      const committed = await writeCheckpoints(db, batch);
      msg.respond(encodeMessage(CheckpointAck, { batchId: batch.batchId, committed }));
    } catch (error) {
      const reply = errorReplyFor(error, 'checkpoint');
      log.error(
        { batchId: batch.batchId, shard: batch.shard, code: reply.code, reason: reply.message },
        'checkpoint batch not written',
      );
      msg.respond(encodeErrorReply(reply));
    }
  };
}
