// Where a request within a dialog goes next (RFC 3261 §16.6 steps 6–7, loose routing): the
// first Route left after ours, else the Request-URI — when it names an IP literal; otherwise
// the flow the dialog's INVITE came on.
import type { SipRequest, SipUri } from '@sipwake/sip-parser';
import { defaultSipPort } from '@sipwake/sip-stack';
import type { SendTarget, TransportProtocol } from '@sipwake/sip-stack';
import { isIP } from 'node:net';

const protocols: readonly TransportProtocol[] = ['udp', 'tcp', 'tls', 'ws', 'wss'];

function literalTarget(uri: SipUri, fallback: TransportProtocol): SendTarget | undefined {
  const address = uri.host.startsWith('[') ? uri.host.slice(1, -1) : uri.host;
  if (isIP(address) === 0) return undefined;
  const asked = uri.params['transport']?.toLowerCase();
  const protocol = uri.scheme === 'sips' ? 'tls' : (protocols.find((p) => p === asked) ?? fallback);
  return { protocol, address, port: uri.port ?? defaultSipPort(protocol) };
}

/**
 * The target of `request` (our Route already removed). `known` is where the dialog's far end
 * was last reached: used when the next hop is a name, or is that same address (so a stream
 * connection is reused).
 */
export function nextHop(request: SipRequest, known: SendTarget): SendTarget {
  const routes = request.headers.has('route') ? request.route() : [];
  const uri = routes[0]?.uri ?? request.requestUri();
  const literal = literalTarget(uri, known.protocol);
  if (literal === undefined) return known;
  if (literal.address === known.address && literal.port === known.port) return known;
  return literal;
}
