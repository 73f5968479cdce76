// The UA core (RFC 3261 §8, §12–§15) on a transaction layer: incoming requests dispatched to
// their dialog or to the application, ACKs for 2xx matched to the call they confirm, CANCEL
// answered, and INVITEs sent. It owns the layer's onRequest, onStrayAck and onCancel.
import { checkRequest, type SipRequest } from '@sipwake/sip-parser';
import type { Clock } from '../clock.js';
import type { DigestClient } from '../digest/client.js';
import type { ServerTransaction, TransactionLayer } from '../transaction/types.js';
import { dialogKey, type Dialog, type DialogInternal } from './dialog.js';
import { UaError } from './errors.js';
import { createUasResponse } from './respond.js';
import { literalTarget, type TargetResolver } from './target.js';
import { sendInvite, type InviteOptions } from './uac-invite.js';
import { createIncomingCall, type IncomingCall, type IncomingCallInternal } from './uas-invite.js';

export interface UserAgentOptions {
  readonly layer: TransactionLayer;
  readonly clock: Clock;
  /** Our Contact URI in dialogs, e.g. `sip:alice@127.0.0.1:5070` (add `;transport=tcp` for TCP). */
  readonly contact: string;
  /** RFC 3261 T1 and T2 for 2xx retransmission (§13.3.1.4); use the layer's values (default 500, 4000). */
  readonly t1Ms?: number;
  readonly t2Ms?: number;
  /** Turns a URI into a send target (default: IP-literal hosts only, see target.ts). */
  readonly resolveTarget?: TargetResolver;
  /** Answers challenges to our INVITEs and BYEs. */
  readonly digest?: DigestClient;
}

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS';

export interface UserAgent {
  /** Sends an INVITE; resolves with the dialog once the 2xx is ACKed (see sendInvite). */
  invite(options: InviteOptions): Promise<Dialog>;
  /** New INVITEs (outside a dialog). Without a handler they are answered 480. */
  onInvite(handler: (call: IncomingCall) => void): void;
  /** Other requests outside a dialog (OPTIONS is answered 200 when none is set; others 405). */
  onRequest(handler: (transaction: ServerTransaction) => void): void;
  /** Dialogs alive. */
  dialogs(): readonly Dialog[];
  /** Ends 2xx retransmissions and forgets every dialog (no BYE is sent). Idempotent. */
  stop(): void;
}

export function createUserAgent(options: UserAgentOptions): UserAgent {
  const { layer, clock } = options;
  const resolveTarget = options.resolveTarget ?? literalTarget;
  const dialogs = new Map<string, DialogInternal>();
  /** Calls we answered 2xx and whose ACK has not come yet, by dialog key. */
  const awaitingAck = new Map<string, IncomingCallInternal>();
  /** Calls without a final response, by INVITE server transaction (for CANCEL). */
  const pending = new Map<ServerTransaction, IncomingCallInternal>();
  let inviteHandler: ((call: IncomingCall) => void) | undefined;
  let requestHandler: ((transaction: ServerTransaction) => void) | undefined;
  let stopped = false;

  const remember = (internal: DialogInternal): void => {
    dialogs.set(dialogKey(internal.dialog.id), internal);
  };
  const forget = (internal: DialogInternal): void => {
    const key = dialogKey(internal.dialog.id);
    if (dialogs.get(key) === internal) dialogs.delete(key);
  };
  const context = {
    layer,
    clock,
    t1Ms: options.t1Ms ?? 500,
    t2Ms: options.t2Ms ?? 4000,
    contact: options.contact,
    resolveTarget,
    digest: options.digest,
    remember,
    forget,
  };

  /** The dialog a request names: To tag ours, From tag theirs (§12.2.2). */
  const keyOf = (request: SipRequest): string =>
    dialogKey({
      callId: request.callId(),
      localTag: request.to().tag ?? '',
      remoteTag: request.from().tag ?? '',
    });

  const incomingInvite = (transaction: ServerTransaction): void => {
    const request = transaction.request;
    const internal: IncomingCallInternal = createIncomingCall(transaction, context, {
      finalSent: () => void pending.delete(transaction),
      awaitingAck: (waiting) => {
        const key = dialogKey({
          callId: request.callId(),
          localTag: internal.call.toTag,
          remoteTag: request.from().tag ?? '',
        });
        if (waiting) awaitingAck.set(key, internal);
        else awaitingAck.delete(key);
      },
    });
    pending.set(transaction, internal);
    if (!inviteHandler) {
      internal.call.reject(480, 'Temporarily Unavailable');
      return;
    }
    inviteHandler(internal.call);
  };

  layer.onRequest((transaction) => {
    const request = transaction.request;
    if (stopped) {
      transaction.respond(createUasResponse(request, 503, 'Service Unavailable'));
      return;
    }
    // RFC 3261 §8.2.1–§8.2.2: a UAS refuses a request it cannot read (400), a Request-URI
    // scheme it does not serve (416) and a Require it does not support (420 + Unsupported).
    const problem = checkRequest(request, { role: 'uas' });
    if (problem) {
      const unsupported = problem.unsupported?.join(', ');
      transaction.respond(
        createUasResponse(request, problem.status, problem.reason, {
          headers: unsupported ? [['Unsupported', unsupported]] : [],
        }),
      );
      return;
    }
    if (request.to().tag !== undefined) {
      const dialog = dialogs.get(keyOf(request));
      // §12.2.2: "If the UAS wishes to reject the request because it does not wish to
      // recreate the dialog, it MUST respond to the request with a 481".
      if (dialog) dialog.receive(transaction);
      else transaction.respond(createUasResponse(request, 481, 'Call/Transaction Does Not Exist'));
      return;
    }
    if (request.method === 'INVITE') return incomingInvite(transaction);
    if (requestHandler) return requestHandler(transaction);
    if (request.method === 'OPTIONS') {
      transaction.respond(createUasResponse(request, 200, 'OK', { headers: [['Allow', ALLOW]] }));
      return;
    }
    transaction.respond(
      createUasResponse(request, 405, 'Method Not Allowed', { headers: [['Allow', ALLOW]] }),
    );
  });

  layer.onStrayAck((inbound) => {
    const ack = inbound.message;
    if (ack.type !== 'request') return;
    // §13.3.1.4 / RFC 6026 §8.7: the ACK for our 2xx is the UA core's to absorb.
    awaitingAck.get(keyOf(ack))?.ack(ack);
  });

  layer.onCancel((cancel, invite) => {
    // §9.2: "the UAS SHOULD [...] respond to the CANCEL with a 200 (OK)", then 487 the INVITE;
    // "The To tag of the response to the CANCEL and the response to the original request SHOULD
    // be the same."
    const call = pending.get(invite);
    cancel.respond(createUasResponse(cancel.request, 200, 'OK', { toTag: call?.call.toTag }));
    pending.delete(invite);
    call?.cancel();
  });

  return {
    invite(inviteOptions) {
      if (stopped) return Promise.reject(new UaError('STOPPED', 'the user agent stopped'));
      return sendInvite(context, inviteOptions);
    },
    onInvite(handler) {
      inviteHandler = handler;
    },
    onRequest(handler) {
      requestHandler = handler;
    },
    dialogs: () => [...dialogs.values()].map((d) => d.dialog),
    stop() {
      if (stopped) return;
      stopped = true;
      for (const call of [...awaitingAck.values()]) call.stop();
      awaitingAck.clear();
      pending.clear();
      for (const internal of [...dialogs.values()])
        internal.end({ by: 'local', reason: 'stopped' });
    },
  };
}
