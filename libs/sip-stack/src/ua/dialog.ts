// An INVITE dialog (RFC 3261 §12): its state, the requests sent within it (§12.2.1.1), the
// requests received within it (§12.2.2), and its end by BYE (§15).
import { createRequest, parseUri, type SipResponse } from '@sipwake/sip-parser';
import type { DigestClient } from '../digest/client.js';
import type { ServerTransaction, TransactionLayer } from '../transaction/types.js';
import type { SendTarget } from '../transport/types.js';
import { UaError } from './errors.js';
import { createUasResponse } from './respond.js';
import { sendRequestWithAuth } from './send.js';
import type { TargetResolver } from './target.js';

export type DialogRole = 'uac' | 'uas';

export interface DialogId {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
}

/** How a dialog ended. */
export interface DialogEnd {
  readonly by: 'local' | 'remote';
  /** `bye`: a BYE was sent or received; `no-ack`: §13.3.1.4; `stopped`: the UA stopped. */
  readonly reason: 'bye' | 'no-ack' | 'stopped';
}

export interface Dialog {
  readonly id: DialogId;
  readonly role: DialogRole;
  /** The far end's Contact (§12.1.1, §12.1.2). */
  readonly remoteTarget: string;
  /** Route values for requests in the dialog, in the order they are sent. */
  readonly routeSet: readonly string[];
  /** The body (SDP) the far end sent with its INVITE or 2xx. */
  readonly remoteBody: Buffer;
  isTerminated(): boolean;
  /**
   * RFC 3261 §15.1.1: sends BYE; the dialog ends whatever the answer. Resolves with the final
   * response, rejects with a UaError (TIMEOUT, TRANSPORT_FAILED) — the dialog is over either way.
   */
  bye(): Promise<SipResponse>;
  /** Settles once the dialog is over. */
  readonly ended: Promise<DialogEnd>;
  /** Requests in the dialog other than BYE and ACK (default: 501 Not Implemented). */
  onRequest(handler: (transaction: ServerTransaction) => void): void;
}

export interface DialogInit {
  readonly role: DialogRole;
  readonly id: DialogId;
  /** Our URI and the far end's, as in From/To (`sip:alice@example.test`). */
  readonly localUri: string;
  readonly remoteUri: string;
  readonly remoteTarget: string;
  readonly routeSet: readonly string[];
  readonly localSeq: number | undefined;
  readonly remoteSeq: number | undefined;
  readonly remoteBody: Buffer;
}

export interface DialogDeps {
  readonly layer: TransactionLayer;
  readonly resolveTarget: TargetResolver;
  readonly digest?: DigestClient;
  /** Called once, when the dialog ends (the UA forgets it). */
  readonly forget: (dialog: DialogInternal) => void;
}

/** The UA core's handle on a dialog. */
export interface DialogInternal {
  readonly dialog: Dialog;
  /** A request in the dialog arrived (not ACK). */
  receive(transaction: ServerTransaction): void;
  /** Builds a request in the dialog and where to send it (§12.2.1.1); CSeq numbered by the caller. */
  requestParts(): { uri: string; headers: [string, string][]; target: SendTarget };
  end(end: DialogEnd): void;
}

export function dialogKey(id: DialogId): string {
  return `${id.callId}\n${id.localTag}\n${id.remoteTag}`;
}

export function createDialog(init: DialogInit, deps: DialogDeps): DialogInternal {
  let localSeq = init.localSeq;
  let remoteSeq = init.remoteSeq;
  let terminated = false;
  let requestHandler: ((transaction: ServerTransaction) => void) | undefined;
  let resolveEnded: (end: DialogEnd) => void = () => undefined;
  const ended = new Promise<DialogEnd>((resolve) => {
    resolveEnded = resolve;
  });

  const end = (how: DialogEnd): void => {
    if (terminated) return;
    terminated = true;
    deps.forget(internal);
    resolveEnded(how);
  };

  const requestParts = (): { uri: string; headers: [string, string][]; target: SendTarget } => {
    // RFC 3261 §12.2.1.1: "If the route set is empty, the UAC MUST place the remote target URI
    // into the Request-URI. [...] If the route set is not empty, and the first URI in the route
    // set contains the lr parameter, the UAC MUST place the remote target URI into the
    // Request-URI and MUST include a Route header field containing the route set values in
    // order". Otherwise (strict routing) "the UAC MUST place the first URI from the route set
    // into the Request-URI, stripping any parameters that are not allowed in a Request-URI",
    // and the remote target goes last in the Route.
    const routes = init.routeSet.map(routeUri);
    let uri = init.remoteTarget;
    let route = [...init.routeSet];
    const first = routes[0];
    if (first !== undefined && !('lr' in parseUri(first).params)) {
      uri = first.replace(/;(?:method|ttl|maddr|lr)(?:=[^;?]*)?/gi, '');
      route = [...init.routeSet.slice(1), `<${init.remoteTarget}>`];
    }
    const next = route[0];
    const destination = next === undefined ? uri : routeUri(next);
    const headers: [string, string][] = [
      ...route.map((r): [string, string] => ['Route', r]),
      ['Max-Forwards', '70'],
      ['From', `<${init.localUri}>;tag=${init.id.localTag}`],
      ['To', `<${init.remoteUri}>;tag=${init.id.remoteTag}`],
      ['Call-ID', init.id.callId],
    ];
    return { uri, headers, target: deps.resolveTarget(parseUri(destination)) };
  };

  const dialog: Dialog = {
    id: init.id,
    role: init.role,
    remoteTarget: init.remoteTarget,
    routeSet: init.routeSet,
    remoteBody: init.remoteBody,
    isTerminated: () => terminated,
    async bye() {
      if (terminated) throw new UaError('DIALOG_TERMINATED', 'the dialog is over already');
      const parts = requestParts();
      // §12.2.1.1: "the CSeq [...] MUST be incremented by one"; a UAS whose local sequence
      // number is still empty picks one (§8.1.1.5: "any value less than 2**31").
      localSeq = (localSeq ?? 0) + 1;
      const request = createRequest({
        method: 'BYE',
        uri: parts.uri,
        headers: [...parts.headers, ['CSeq', `${localSeq} BYE`], ['Content-Length', '0']],
      });
      // §15.1.1: "the UAC MUST consider the session terminated (and therefore stop sending or
      // listening for media) as soon as the BYE request is passed to the client transaction."
      end({ by: 'local', reason: 'bye' });
      const exchange = await sendRequestWithAuth(deps.layer, request, parts.target, {
        digest: deps.digest,
      });
      return exchange.response;
    },
    ended,
    onRequest(handler) {
      requestHandler = handler;
    },
  };

  const receive = (transaction: ServerTransaction): void => {
    const request = transaction.request;
    const seq = request.cseq().seq;
    // §12.2.2: "If the remote sequence number is not empty, but the sequence number of the
    // request is lower than the remote sequence number, the request is out of order and MUST
    // be rejected with a 500 (Server Internal Error) response."
    if (remoteSeq !== undefined && seq < remoteSeq) {
      transaction.respond(createUasResponse(request, 500, 'Server Internal Error'));
      return;
    }
    remoteSeq = seq;
    if (request.method === 'BYE') {
      // §15.1.2: "the UAS core [...] SHOULD terminate the session [...] and MUST generate a
      // 2xx response to the BYE".
      transaction.respond(createUasResponse(request, 200, 'OK'));
      end({ by: 'remote', reason: 'bye' });
      return;
    }
    if (requestHandler) requestHandler(transaction);
    else transaction.respond(createUasResponse(request, 501, 'Not Implemented'));
  };

  const internal: DialogInternal = { dialog, receive, requestParts, end };
  return internal;
}

/** The URI inside a Route / Record-Route value (`<sip:p.example;lr>;x=y` → `sip:p.example;lr`). */
function routeUri(value: string): string {
  const open = value.indexOf('<');
  const close = value.indexOf('>', open + 1);
  return open >= 0 && close > open ? value.slice(open + 1, close) : value.trim();
}
