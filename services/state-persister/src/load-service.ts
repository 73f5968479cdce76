// sw.state.load: one page of the instances of the requested prefixes, with their last
// checkpointed registration; a bad request or a database failure is answered with ErrorReply.
import type { BusMessage } from '@sipwake/bus';
import { decodeMessage, encodeMessage, LoadPage, LoadRequest, subjects } from '@sipwake/contracts';
import type { Database } from '@sipwake/db';
import { encodeErrorReply, errorReplyFor } from './error-reply.js';
import { loadPage } from './load-query.js';
import type { PersisterLog } from './types.js';

export function loadHandler(
  db: Database,
  log: PersisterLog,
  maxPageInstances: number,
): (msg: BusMessage) => Promise<void> {
  return async (msg) => {
    const { data } = msg;
    try {
      const request = decodeMessage(LoadRequest, data, { subject: subjects.stateLoad });
      const page = await loadPage(db, request, maxPageInstances);
      msg.respond(encodeMessage(LoadPage, page));
    } catch (error) {
      const reply = errorReplyFor(error, 'load');
      log.warn({ code: reply.code, reason: reply.message }, 'load refused');
      msg.respond(encodeErrorReply(reply));
    }
  };
}
