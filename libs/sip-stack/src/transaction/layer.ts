// The transaction layer (RFC 3261 §17): client transactions for the requests the TU sends,
// server transactions for the requests that arrive, matching in both directions, and stop().
import { SipParseError, type SipRequest, type SipResponse } from '@sipwake/sip-parser';
import type { Flow, Inbound, SendTarget } from '../transport/types.js';
import { answerBadRequest } from './bad-request.js';
import type { ClientInternal } from './client-core.js';
import type { TransactionContext } from './context.js';
import { createGuard } from './context.js';
import { TransactionError } from './errors.js';
import { createInviteClientTransaction } from './invite-client.js';
import { clientKey, responseKey } from './matching.js';
import { createNonInviteClientTransaction } from './non-invite-client.js';
import { resolveTransactionOptions } from './options.js';
import { buildCancel, localTag } from './requests.js';
import { createServerDispatch } from './server-dispatch.js';
import { transactionTimers } from './timers.js';
import { ensureTopVia } from './top-via.js';
import type {
  CancelOptions,
  CancelOutcome,
  ClientTransaction,
  ClientTransactionHandlers,
  TransactionLayer,
  TransactionLayerOptions,
} from './types.js';

export function createTransactionLayer(options: TransactionLayerOptions): TransactionLayer {
  const config = resolveTransactionOptions(options);
  const { transport, log } = config;
  const ctx: TransactionContext = {
    clock: config.clock,
    timers: transactionTimers(config),
    log,
    // A transport that throws instead of rejecting still reaches the machine as a transport error.
    send: async (target, message) => transport.send(target, message),
    guard: createGuard(log),
  };
  const clients = new Map<string, ClientInternal>();
  const hasRoom = (): boolean => clients.size + servers.size() < config.maxTransactions;
  const servers = createServerDispatch(ctx, transport, hasRoom);
  let strayResponse: ((inbound: Inbound) => void) | undefined;
  let stopped = false;

  const handleResponse = (inbound: Inbound, response: SipResponse): void => {
    const key = responseKey(response);
    const client = key === undefined ? undefined : clients.get(key);
    if (client) return client.receive(response);
    // RFC 6026 §7.3 leaves a response that matches no transaction to the core (a proxy drops
    // it unless it is a 2xx to INVITE it must forward, RFC 3261 §16.7 as updated).
    const handler = strayResponse;
    if (handler) ctx.guard('onStrayResponse', () => handler(inbound));
    else log.debug({ status: response.status }, 'stray response dropped');
  };

  /**
   * RFC 3261 §21.4.1: a request that does not parse gets "400 Bad Request" (505 for another
   * SIP version, §21.5.6) built from its raw lines, statelessly; anything else is dropped.
   */
  const badRequest = (bytes: Buffer, error: Error, flow: Flow): void => {
    const answer = answerBadRequest(bytes, error, flow, localTag());
    const code = error instanceof SipParseError ? error.code : undefined;
    if (!answer) {
      log.debug({ flow, code }, 'unparseable message dropped: no request to answer');
      return;
    }
    log.debug({ flow, code, status: answer.status }, 'unparseable request answered');
    ctx
      .send(answer.target, answer.bytes)
      .then(undefined, (err: unknown) =>
        log.debug({ err, flow }, 'answer to a bad request not sent'),
      );
  };

  transport.onMessage((inbound) => {
    if (stopped) return;
    const { message } = inbound;
    try {
      if (message.type === 'response') handleResponse(inbound, message);
      else servers.handle(inbound, message);
    } catch (error) {
      // A header the matching rules need is malformed (SipParseError, found on first access):
      // nothing can be matched, so a request is answered from its raw lines and a response dropped.
      if (message.type === 'request' && error instanceof SipParseError) {
        badRequest(inbound.bytes, error, inbound.flow);
      } else {
        log.debug({ err: error, flow: inbound.flow }, 'message dropped: unusable for matching');
      }
    }
  });

  transport.onInvalid(({ bytes, error, flow }) => {
    if (!stopped) badRequest(bytes, error, flow);
  });

  const sendRequest = (
    request: SipRequest,
    target: SendTarget,
    handlers: ClientTransactionHandlers = {},
  ): ClientTransaction => {
    if (stopped) throw new TransactionError('LAYER_STOPPED', 'the transaction layer is stopped');
    // RFC 3261 §17.1.1.3: the ACK for a 2xx "is not considered part of the transaction".
    if (request.method === 'ACK') {
      throw new TransactionError('BAD_REQUEST', 'ACK starts no transaction: use sendStateless');
    }
    if (request.cseq().method !== request.method) {
      throw new TransactionError('BAD_REQUEST', 'the CSeq method differs from the request method');
    }
    if (!hasRoom()) {
      throw new TransactionError(
        'TOO_MANY_TRANSACTIONS',
        `${config.maxTransactions} transactions alive`,
      );
    }
    const branch = ensureTopVia(request, target.protocol, config.sentBy);
    const id = clientKey(branch, request.method);
    if (clients.has(id)) {
      throw new TransactionError(
        'DUPLICATE_TRANSACTION',
        `a ${request.method} with this branch is alive`,
        {
          transactionId: id,
        },
      );
    }
    const create =
      request.method === 'INVITE'
        ? createInviteClientTransaction
        : createNonInviteClientTransaction;
    const internal = create({
      ctx,
      id,
      request,
      branch,
      target,
      handlers,
      release: () => clients.delete(id),
    });
    clients.set(id, internal);
    internal.start();
    return internal.transaction;
  };

  const sendCancel = (
    invite: ClientTransaction,
    cancelOptions: CancelOptions = {},
  ): CancelOutcome => {
    const internal = clients.get(invite.id);
    if (!internal?.cancel || internal.transaction !== invite) {
      throw new TransactionError(
        'NOT_CANCELLABLE',
        'not a live INVITE client transaction of this layer',
        {
          transactionId: invite.id,
        },
      );
    }
    return internal.cancel(() => {
      const cancel = buildCancel(invite.request, cancelOptions.headers);
      // RFC 3261 §9.1: the CANCEL goes where the INVITE went, on its connection when it has one.
      const flow: Flow | undefined = invite.flow;
      const target =
        flow?.connectionId === undefined
          ? invite.target
          : { ...invite.target, connectionId: flow.connectionId };
      try {
        sendRequest(cancel, target, cancelOptions.handlers);
      } catch (error) {
        log.warn({ err: error, transaction: invite.id }, 'CANCEL not sent');
      }
    });
  };

  return {
    sendRequest,
    sendCancel,
    async sendStateless(request, target) {
      if (stopped) throw new TransactionError('LAYER_STOPPED', 'the transaction layer is stopped');
      ensureTopVia(request, target.protocol, config.sentBy);
      return transport.send(target, request);
    },
    onRequest: (handler) => void (servers.handlers.request = handler),
    onCancel: (handler) => void (servers.handlers.cancel = handler),
    onStrayAck: (handler) => void (servers.handlers.strayAck = handler),
    onStrayResponse: (handler) => void (strayResponse = handler),
    size: () => ({ client: clients.size, server: servers.size() }),
    stop() {
      if (stopped) return;
      stopped = true;
      for (const internal of [...clients.values()]) internal.abort();
      servers.abortAll();
    },
  };
}
