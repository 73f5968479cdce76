// sw.state.expire: decode the request whole (a bad one is refused with the failing fields named,
// nothing changed), run the conditional delete, and answer ExpireAck only after it committed; a
// database failure is answered with an ErrorReply (retryable as the database error) and nothing
// of it stays, so the agent sends the same request again (a resend after a lost `deleted` finds
// the row `gone`). Logs carry the selector, shard and outcome, never an account field.
import type { BusMessage } from '@sipwake/bus';
import {
  decodeMessage,
  encodeMessage,
  ExpireAck,
  ExpireInstance,
  ExpireOutcome,
  subjects,
} from '@sipwake/contracts';
import type { Database } from '@sipwake/db';
import { encodeErrorReply, errorReplyFor } from './error-reply.js';
import { expireInstance } from './expire-writer.js';
import type { PersisterLog } from './types.js';

const WHAT = 'expire';

export function expireHandler(db: Database, log: PersisterLog): (msg: BusMessage) => Promise<void> {
  return async (msg) => {
    let request: ExpireInstance;
    try {
      request = decodeMessage(ExpireInstance, msg.data, { subject: subjects.stateExpire });
    } catch (error) {
      const reply = errorReplyFor(error, WHAT);
      log.warn({ code: reply.code, reason: reply.message }, 'expire refused');
      msg.respond(encodeErrorReply(reply));
      return;
    }
    const { selector, shard } = request;
    try {
      const outcome = await expireInstance(db, request);
      if (outcome === ExpireOutcome.Deleted) log.info({ selector, shard }, 'instance expired');
      msg.respond(encodeMessage(ExpireAck, { outcome }));
    } catch (error) {
      const reply = errorReplyFor(error, WHAT);
      log.error({ selector, shard, code: reply.code, reason: reply.message }, 'expire failed');
      msg.respond(encodeErrorReply(reply));
    }
  };
}
