// REGISTERs carry the instance's selector in their top Via branch (`relayBranch`), so that a
// router, which finds the owner of a response by its top Via branch only, brings the registrar's
// answers back to this shard (libs/sip-relay "Selector markers"). The transaction layer would
// add a Via with a plain branch; this view of it adds ours first, on every attempt (a digest
// retry drops the Via of the attempt before, so each attempt gets a new branch).
import { relayBranch } from '@sipwake/sip-relay';
import { viaTransportToken } from '@sipwake/sip-stack';
import type { SentBy, TransactionLayer, TransportProtocol } from '@sipwake/sip-stack';

/** The layer as one instance's REGISTERs see it; every other call goes to `layer` unchanged. */
export function withSelectorVia(
  layer: TransactionLayer,
  selector: string,
  sentBy: (protocol: TransportProtocol) => SentBy | undefined,
): TransactionLayer {
  return {
    sendRequest(request, target, handlers) {
      const by = sentBy(target.protocol);
      if (!request.headers.has('via') && by !== undefined) {
        const host = by.host.includes(':') ? `[${by.host}]` : by.host;
        const port = by.port === undefined ? '' : `:${by.port}`;
        // RFC 3261 §18.1.1 sent-by, §8.1.1.7 a branch unique per request; RFC 3581 `rport`.
        request.headers.prepend(
          'via',
          `SIP/2.0/${viaTransportToken(target.protocol)} ${host}${port};branch=${relayBranch(selector)};rport`,
        );
      }
      return layer.sendRequest(request, target, handlers);
    },
    sendCancel: (invite, options) => layer.sendCancel(invite, options),
    sendStateless: (request, target) => layer.sendStateless(request, target),
    onRequest: (handler) => layer.onRequest(handler),
    onCancel: (handler) => layer.onCancel(handler),
    onStrayAck: (handler) => layer.onStrayAck(handler),
    onStrayResponse: (handler) => layer.onStrayResponse(handler),
    size: () => layer.size(),
    stop: () => layer.stop(),
  };
}
