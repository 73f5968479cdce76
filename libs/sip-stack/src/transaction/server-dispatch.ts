// Requests in: matched to their server transaction (RFC 3261 §17.2.3), ACKs to their INVITE
// transaction, CANCELs to the transaction they cancel (§9.2), everything else to a new server
// transaction handed to the TU.
import type { SipRequest } from '@sipwake/sip-parser';
import type { Inbound } from '../transport/types.js';
import { responseTarget } from '../transport/via.js';
import type { TransactionContext } from './context.js';
import { createInviteServerTransaction } from './invite-server.js';
import { isRfc3261Request, rfc2543AckKey, serverKey } from './matching.js';
import { createNonInviteServerTransaction } from './non-invite-server.js';
import { buildLocalResponse } from './requests.js';
import type { ServerInternal } from './server-core.js';
import type { Transport } from '../transport/types.js';
import type { ServerTransaction } from './types.js';

export interface ServerHandlers {
  request?: (transaction: ServerTransaction) => void;
  cancel?: (cancel: ServerTransaction, cancelled: ServerTransaction) => void;
  strayAck?: (inbound: Inbound, invite: ServerTransaction | undefined) => void;
}

export interface ServerDispatch {
  readonly handlers: ServerHandlers;
  handle(inbound: Inbound, request: SipRequest): void;
  size(): number;
  abortAll(): void;
}

export function createServerDispatch(
  ctx: TransactionContext,
  transport: Transport,
  hasRoom: () => boolean,
): ServerDispatch {
  const servers = new Map<string, ServerInternal>();
  /** RFC 2543 INVITE transactions by the fields their ACK must repeat (§17.2.3). */
  const rfc2543Invites = new Map<string, ServerInternal>();
  const handlers: ServerHandlers = {};

  const strayAck = (inbound: Inbound, invite: ServerTransaction | undefined): void => {
    const handler = handlers.strayAck;
    if (handler) ctx.guard('onStrayAck', () => handler(inbound, invite));
    else ctx.log.debug({ callId: inbound.message.callId() }, 'ACK dropped: no onStrayAck handler');
  };

  const create = (inbound: Inbound, request: SipRequest, id: string): ServerInternal => {
    const ackKey =
      request.method === 'INVITE' && !isRfc3261Request(request)
        ? rfc2543AckKey(request)
        : undefined;
    const internal = (
      request.method === 'INVITE' ? createInviteServerTransaction : createNonInviteServerTransaction
    )({
      ctx,
      id,
      request,
      flow: inbound.flow,
      release: () => {
        servers.delete(id);
        if (ackKey !== undefined) rfc2543Invites.delete(ackKey);
      },
      ackToTu: strayAck,
    });
    servers.set(id, internal);
    if (ackKey !== undefined) rfc2543Invites.set(ackKey, internal);
    internal.start();
    return internal;
  };

  /** Hands a new transaction to the TU; a TU that throws (or is missing) leaves a 500/503 answer. */
  const deliver = (internal: ServerInternal, handler: (() => void) | undefined): void => {
    const tx = internal.transaction;
    if (!handler) {
      tx.respond(buildLocalResponse(tx.request, 503, 'Service Unavailable'));
      return;
    }
    if (!ctx.guard('onRequest', handler)) {
      // A TU that sent a 180 before it threw: the 500 keeps the 180's To tag.
      tx.respond(
        buildLocalResponse(tx.request, 500, 'Server Internal Error', internal.sentToTag()),
      );
    }
  };

  const ack = (inbound: Inbound, request: SipRequest): void => {
    let invite: ServerInternal | undefined;
    if (isRfc3261Request(request)) {
      invite = servers.get(serverKey(request));
    } else {
      const candidate = rfc2543Invites.get(rfc2543AckKey(request));
      // §17.2.3: "and the To tag of the ACK matches the To tag of the response sent by the
      // server transaction."
      if (candidate?.finalToTag?.() === request.to().tag) invite = candidate;
    }
    if (invite?.ack) invite.ack(inbound);
    else strayAck(inbound, undefined);
  };

  const cancel = (inbound: Inbound, request: SipRequest, id: string): void => {
    // RFC 3261 §9.2: "The TU determines the transaction to be cancelled by taking the CANCEL
    // request, and then assuming that the request method is anything but CANCEL or ACK and
    // applying the transaction matching procedures of Section 17.2.3."
    const cancelled = servers.get(serverKey(request, 'INVITE'));
    const cancelInternal = create(inbound, request, id);
    const cancelTx = cancelInternal.transaction;
    if (!cancelled) {
      // "If the UAS did not find a matching transaction for the CANCEL according to the
      // procedure above, it SHOULD respond to the CANCEL with a 481 (Call Leg/Transaction Does
      // Not Exist)."
      cancelTx.respond(buildLocalResponse(request, 481, 'Call/Transaction Does Not Exist'));
      return;
    }
    const handler = handlers.cancel;
    const requestHandler = handlers.request;
    deliver(
      cancelInternal,
      handler
        ? () => handler(cancelTx, cancelled.transaction)
        : requestHandler && (() => requestHandler(cancelTx)),
    );
  };

  const reject = (inbound: Inbound, request: SipRequest): void => {
    ctx.log.warn({ callId: request.callId() }, 'request refused: maxTransactions reached');
    const response = buildLocalResponse(request, 503, 'Service Unavailable');
    transport
      .send(responseTarget(request.topVia(), inbound.flow), response)
      .then(undefined, (err: unknown) => ctx.log.debug({ err }, 'stateless 503 not sent'));
  };

  return {
    handlers,
    handle(inbound, request) {
      if (request.method === 'ACK') return ack(inbound, request);
      const id = serverKey(request);
      const existing = servers.get(id);
      if (existing) return existing.retransmission();
      if (!hasRoom()) return reject(inbound, request);
      if (request.method === 'CANCEL') return cancel(inbound, request, id);
      const internal = create(inbound, request, id);
      const handler = handlers.request;
      deliver(internal, handler && (() => handler(internal.transaction)));
    },
    size: () => servers.size,
    abortAll() {
      for (const internal of [...servers.values()]) internal.abort();
    },
  };
}
