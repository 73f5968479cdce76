// The UAS side of an INVITE (RFC 3261 §13.3): provisional responses, the 2xx and its
// retransmission by the UA core until the ACK comes (§13.3.1.4), rejection, and CANCEL (§9.2).
import type { SipRequest, SipResponse } from '@sipwake/sip-parser';
import type { Clock, TimerHandle } from '../clock.js';
import type { DigestClient } from '../digest/client.js';
import type { ServerTransaction, TransactionLayer } from '../transaction/types.js';
import { createDialog, type Dialog, type DialogDeps, type DialogInternal } from './dialog.js';
import { UaError } from './errors.js';
import { newTag } from './ids.js';
import { createUasResponse } from './respond.js';
import type { TargetResolver } from './target.js';

export interface AnswerOptions {
  /** The answer (application/sdp). */
  readonly sdp?: string | Buffer;
  readonly headers?: readonly (readonly [string, string])[];
}

export interface IncomingCall {
  readonly request: SipRequest;
  readonly transaction: ServerTransaction;
  /** Our To tag, the same in every response to this INVITE. */
  readonly toTag: string;
  /** A provisional response (default 180 Ringing). */
  progress(status?: number, reason?: string): void;
  /**
   * 200 OK with our Contact (and the SDP), retransmitted T1, 2*T1, … up to T2 until the ACK
   * arrives; resolves with the dialog then. Rejects with UaError NO_ACK after 64*T1 without an
   * ACK (the dialog is ended with a BYE, §13.3.1.4), or STOPPED.
   */
  answer(options?: AnswerOptions): Promise<Dialog>;
  /** A final non-2xx response (the transaction retransmits it and absorbs the ACK). */
  reject(status: number, reason?: string, headers?: readonly (readonly [string, string])[]): void;
  /** Called when the caller CANCELs before the final response (a 487 has been sent). */
  onCancel(handler: () => void): void;
}

export interface UasContext {
  readonly layer: TransactionLayer;
  readonly clock: Clock;
  readonly t1Ms: number;
  readonly t2Ms: number;
  readonly contact: string;
  readonly resolveTarget: TargetResolver;
  readonly digest?: DigestClient;
  readonly remember: (internal: DialogInternal) => void;
  readonly forget: DialogDeps['forget'];
}

/** What the UA core tracks about an incoming call. */
export interface IncomingCallHooks {
  /** The INVITE got its final response: a CANCEL can no longer apply. */
  finalSent(): void;
  /** Our 2xx waits for its ACK (true), or no longer does (false). */
  awaitingAck(waiting: boolean): void;
}

/** The UA core's side of an incoming call. */
export interface IncomingCallInternal {
  readonly call: IncomingCall;
  /** A CANCEL matched this INVITE (§9.2). */
  cancel(): void;
  /** An ACK for our 2xx (CSeq number of the INVITE) arrived. */
  ack(request: SipRequest): void;
  /** The UA stops: retransmissions end, a pending answer() fails. */
  stop(): void;
}

export function createIncomingCall(
  transaction: ServerTransaction,
  ctx: UasContext,
  hooks: IncomingCallHooks,
): IncomingCallInternal {
  const request = transaction.request;
  const toTag = newTag();
  let finalSent = false;
  let acked = false;
  let retransmit: TimerHandle | undefined;
  let fail: ((error: UaError) => void) | undefined;
  let confirm: (() => void) | undefined;
  const cancelHandlers: (() => void)[] = [];

  const respond = (response: SipResponse): void => void transaction.respond(response);
  // RFC 3261 §12.1.1: "When a UAS responds to a request with a response that establishes a
  // dialog (such as a 2xx to INVITE), the UAS MUST copy all Record-Route header field values
  // from the request into the response [...] and MUST maintain the order of those values."
  const recordRoute = request.headers
    .getAll('record-route')
    .map((value): [string, string] => ['Record-Route', value]);

  const answer = (options: AnswerOptions = {}): Promise<Dialog> => {
    if (finalSent) {
      return Promise.reject(new UaError('BAD_REQUEST', 'the INVITE has a final response already'));
    }
    finalSent = true;
    hooks.finalSent();
    const body = options.sdp === undefined ? undefined : Buffer.from(options.sdp);
    const ok = createUasResponse(request, 200, 'OK', {
      toTag,
      headers: [
        ...recordRoute,
        ['Contact', `<${ctx.contact}>`],
        ...(body === undefined ? [] : [['Content-Type', 'application/sdp'] as [string, string]]),
        ...(options.headers ?? []),
      ],
      ...(body === undefined ? {} : { body }),
    });
    const internal = dialogFrom(request, toTag, ctx);
    ctx.remember(internal);
    hooks.awaitingAck(true);
    respond(ok);
    const answered = new Promise<Dialog>((resolve, reject) => {
      confirm = () => resolve(internal.dialog);
      fail = reject;
      // RFC 3261 §13.3.1.4: "The 2xx response is passed to the transport with an interval that
      // starts at T1 seconds and doubles for each retransmission until it reaches T2 seconds.
      // Response retransmissions cease when an ACK request for the response is received. This
      // is independent of whatever transport protocols are used to send the response."
      let interval = ctx.t1Ms;
      const deadline = ctx.clock.now() + 64 * ctx.t1Ms;
      const tick = (): void => {
        retransmit = undefined;
        if (acked) return;
        // "If the server retransmits the 2xx response for 64*T1 seconds without receiving an
        // ACK, the dialog is confirmed, but the session SHOULD be terminated. This is
        // accomplished with a BYE".
        if (ctx.clock.now() >= deadline) {
          fail = undefined;
          void internal.dialog.bye().catch(() => undefined);
          reject(new UaError('NO_ACK', `no ACK for the 2xx within ${64 * ctx.t1Ms} ms`));
          return;
        }
        respond(ok);
        interval = Math.min(2 * interval, ctx.t2Ms);
        retransmit = ctx.clock.setTimeout(tick, Math.min(interval, deadline - ctx.clock.now()));
      };
      retransmit = ctx.clock.setTimeout(tick, interval);
    });
    return answered.finally(() => hooks.awaitingAck(false));
  };

  const call: IncomingCall = {
    request,
    transaction,
    toTag,
    progress(status = 180, reason) {
      if (finalSent) return;
      if (status === 100) {
        respond(createUasResponse(request, 100, reason));
        return;
      }
      // A provisional response with a To tag creates an early dialog: the Record-Route and
      // Contact rules of the 2xx apply (§12.1.1, §13.3.1.1).
      respond(
        createUasResponse(request, status, reason, {
          toTag,
          headers: [...recordRoute, ['Contact', `<${ctx.contact}>`]],
        }),
      );
    },
    answer,
    reject(status, reason, headers = []) {
      if (finalSent) return;
      finalSent = true;
      hooks.finalSent();
      respond(createUasResponse(request, status, reason, { toTag, headers }));
    },
    onCancel(handler) {
      cancelHandlers.push(handler);
    },
  };

  return {
    call,
    cancel() {
      if (finalSent) return;
      // §9.2: "the UAS [...] SHOULD respond to the INVITE with a 487 (Request Terminated)".
      call.reject(487, 'Request Terminated');
      for (const handler of cancelHandlers) handler();
    },
    ack(ackRequest) {
      if (acked || ackRequest.cseq().seq !== request.cseq().seq) return;
      acked = true;
      ctx.clock.clearTimeout(retransmit);
      retransmit = undefined;
      confirm?.();
    },
    stop() {
      ctx.clock.clearTimeout(retransmit);
      retransmit = undefined;
      acked = true;
      fail?.(new UaError('STOPPED', 'the user agent stopped'));
    },
  };
}

/** RFC 3261 §12.1.1: the UAS's dialog state from the INVITE and our To tag. */
function dialogFrom(invite: SipRequest, toTag: string, ctx: UasContext): DialogInternal {
  const contacts = invite.contacts();
  const contact = contacts === '*' ? undefined : contacts[0];
  return createDialog(
    {
      role: 'uas',
      id: { callId: invite.callId(), localTag: toTag, remoteTag: invite.from().tag ?? '' },
      localUri: invite.to().uriText,
      remoteUri: invite.from().uriText,
      // "The remote target MUST be set to the URI from the Contact header field of the request."
      remoteTarget: contact?.uriText ?? invite.from().uriText,
      // "The route set MUST be set to the list of URIs in the Record-Route header field from
      // the request, taken in order and preserving all URI parameters."
      routeSet: invite.recordRoute().map((r) => `<${r.uriText}>`),
      // "The remote sequence number MUST be set to the value of the sequence number in the
      // CSeq header field of the request. The local sequence number MUST be empty."
      localSeq: undefined,
      remoteSeq: invite.cseq().seq,
      remoteBody: invite.body,
    },
    { layer: ctx.layer, resolveTarget: ctx.resolveTarget, digest: ctx.digest, forget: ctx.forget },
  );
}
