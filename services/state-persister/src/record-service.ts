// sw.state.message, sw.state.call-record, sw.state.dead-token, sw.state.device-token: decode the request whole (a bad
// one is refused with the failing fields named, nothing written), write it, and answer
// RecordAck only after the write committed; a database failure is answered with a retryable
// ErrorReply and the sender sends the same request again. Logs carry the selector and codes,
// never a message body, an address or a token.
import type { BusMessage } from '@sipwake/bus';
import { decodeMessage, encodeMessage, RecordAck } from '@sipwake/contracts';
import type { RecordOutcome } from '@sipwake/contracts';
import type { TSchema, Static } from '@sinclair/typebox';
import type { Database } from '@sipwake/db';
import { encodeErrorReply, errorReplyFor } from './error-reply.js';
import type { PersisterLog } from './types.js';

export interface RecordKind<S extends TSchema> {
  /** For logs and error messages: `message`, `call record`, `dead token`, `device token`. */
  readonly what: string;
  readonly subject: string;
  readonly schema: S;
  readonly write: (db: Database, value: Static<S>) => Promise<RecordOutcome>;
}

export function recordHandler<S extends TSchema>(
  kind: RecordKind<S>,
  db: Database,
  log: PersisterLog,
): (msg: BusMessage) => Promise<void> {
  return async (msg) => {
    let value: Static<S>;
    try {
      value = decodeMessage(kind.schema, msg.data, { subject: kind.subject });
    } catch (error) {
      const reply = errorReplyFor(error, kind.what);
      log.warn({ code: reply.code, reason: reply.message }, `${kind.what} refused`);
      msg.respond(encodeErrorReply(reply));
      return;
    }
    const selector = (value as { selector?: string }).selector;
    try {
      const outcome = await kind.write(db, value);
      msg.respond(encodeMessage(RecordAck, { outcome }));
    } catch (error) {
      const reply = errorReplyFor(error, kind.what);
      log.error({ selector, code: reply.code, reason: reply.message }, `${kind.what} not written`);
      msg.respond(encodeErrorReply(reply));
    }
  };
}
