// The UAC side of an INVITE (RFC 3261 §13.2): the INVITE, the dialog its 2xx creates
// (§12.1.2), and the ACK for each 2xx — the UA core's own request, not the transaction's
// (§13.2.2.4).
import { createRequest, type SipRequest, type SipResponse } from '@sipwake/sip-parser';
import type { DigestClient } from '../digest/client.js';
import type { TransactionLayer } from '../transaction/types.js';
import type { SendTarget } from '../transport/types.js';
import { createDialog, type Dialog, type DialogDeps, type DialogInternal } from './dialog.js';
import { UaError } from './errors.js';
import { newCallId, newTag } from './ids.js';
import { buildAck } from './requests.js';
import { sendRequestWithAuth } from './send.js';
import type { TargetResolver } from './target.js';

export interface InviteOptions {
  /** The Request-URI. */
  readonly uri: string;
  /** Our address-of-record (From). */
  readonly from: string;
  /** The callee (To); default the Request-URI. */
  readonly to?: string;
  /** Where the INVITE goes; default resolved from the Request-URI. */
  readonly target?: SendTarget;
  /** The offer (application/sdp). */
  readonly sdp?: string | Buffer;
  readonly headers?: readonly (readonly [string, string])[];
  readonly digest?: DigestClient;
  readonly onProvisional?: (response: SipResponse) => void;
}

export interface UacContext {
  readonly layer: TransactionLayer;
  readonly contact: string;
  readonly resolveTarget: TargetResolver;
  readonly digest?: DigestClient;
  /** The UA core's dialog table. */
  readonly remember: (internal: DialogInternal) => void;
  readonly forget: DialogDeps['forget'];
}

/**
 * Sends an INVITE and resolves with the dialog once its 2xx is ACKed. Rejects with UaError
 * REJECTED (a non-2xx final; the transaction ACKed it), UNAUTHORIZED, TIMEOUT or TRANSPORT_FAILED.
 */
export async function sendInvite(ctx: UacContext, options: InviteOptions): Promise<Dialog> {
  const to = options.to ?? options.uri;
  const body = options.sdp === undefined ? undefined : Buffer.from(options.sdp);
  const invite = createRequest({
    method: 'INVITE',
    uri: options.uri,
    headers: [
      ['Max-Forwards', '70'],
      ['From', `<${options.from}>;tag=${newTag()}`],
      ['To', `<${to}>`],
      ['Call-ID', newCallId()],
      ['CSeq', '1 INVITE'],
      // §8.1.1.8: "The Contact header field MUST be present and contain exactly one SIP or SIPS
      // URI in any request that can result in the establishment of a dialog."
      ['Contact', `<${ctx.contact}>`],
      ...(body === undefined ? [] : [['Content-Type', 'application/sdp'] as [string, string]]),
      ...(options.headers ?? []),
    ],
    ...(body === undefined ? {} : { body }),
  });
  const target = options.target ?? ctx.resolveTarget(invite.requestUri());
  /** Dialogs of this INVITE by remote tag, with the ACK each 2xx got. */
  const acked = new Map<
    string,
    { internal: DialogInternal; ack: SipRequest; target: SendTarget }
  >();
  let sent: SipRequest | undefined;

  const acknowledge = (response: SipResponse): DialogInternal | undefined => {
    const tag = response.to().tag;
    if (tag === undefined || sent === undefined) return undefined;
    const known = acked.get(tag);
    if (known) {
      // §13.2.2.4: "The UAC core MUST generate an ACK request for each 2xx received from the
      // transaction layer" — a retransmission gets the same ACK again.
      void ctx.layer.sendStateless(known.ack, known.target).catch(() => undefined);
      return undefined;
    }
    const internal = dialogFrom(sent, response, ctx);
    const parts = internal.requestParts();
    const ack = buildAck(sent, parts);
    acked.set(tag, { internal, ack, target: parts.target });
    ctx.remember(internal);
    void ctx.layer.sendStateless(ack, parts.target).catch(() => undefined);
    return internal;
  };

  const exchange = await sendRequestWithAuth(ctx.layer, invite, target, {
    digest: options.digest ?? ctx.digest,
    onProvisional: options.onProvisional,
    onLate2xx: (response, request) => {
      sent = request;
      const extra = acknowledge(response);
      // A 2xx from another fork: "If [the UAC] does not want to continue with that dialog, it
      // MUST terminate the dialog by sending a BYE request" (§13.2.2.4).
      if (extra) void extra.dialog.bye().catch(() => undefined);
    },
  });
  sent = exchange.request;
  const { response } = exchange;
  if (response.status >= 300) {
    throw new UaError('REJECTED', `INVITE refused: ${response.status} ${response.reason}`, {
      response,
    });
  }
  const internal = acknowledge(response);
  if (!internal)
    throw new UaError('BAD_REQUEST', 'the 2xx to INVITE carries no To tag', { response });
  return internal.dialog;
}

/** RFC 3261 §12.1.2: the UAC's dialog state from the INVITE and its 2xx. */
function dialogFrom(invite: SipRequest, response: SipResponse, ctx: UacContext): DialogInternal {
  const contacts = response.contacts();
  const contact = contacts === '*' ? undefined : contacts[0];
  if (!contact) throw new UaError('BAD_REQUEST', 'the 2xx to INVITE has no Contact', { response });
  return createDialog(
    {
      role: 'uac',
      id: {
        callId: invite.callId(),
        localTag: invite.from().tag ?? '',
        remoteTag: response.to().tag ?? '',
      },
      localUri: invite.from().uriText,
      remoteUri: invite.to().uriText,
      remoteTarget: contact.uriText,
      // "The route set MUST be set to the list of URIs in the Record-Route header field from
      // the response, taken in reverse order and preserving all URI parameters."
      routeSet: response
        .recordRoute()
        .map((r) => `<${r.uriText}>`)
        .reverse(),
      localSeq: invite.cseq().seq,
      remoteSeq: undefined,
      remoteBody: response.body,
    },
    { layer: ctx.layer, resolveTarget: ctx.resolveTarget, digest: ctx.digest, forget: ctx.forget },
  );
}
