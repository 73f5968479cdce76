// Where a request for a SIP URI is sent. The default takes the URI at its word: an IP literal
// host, its port (5060, or 5061 for sips), the `transport` parameter (RFC 3263 §4.1 without
// DNS: UDP unless told otherwise, TLS for sips). Names need a resolver (../dns) passed in.
import type { SipUri } from '@sipwake/sip-parser';
import { isIP } from 'node:net';
import { stripBrackets } from '../transport/address.js';
import type { SendTarget, TransportProtocol } from '../transport/types.js';
import { UaError } from './errors.js';

/** Turns a URI (Request-URI or top Route) into a send target. */
export type TargetResolver = (uri: SipUri) => SendTarget;

const PROTOCOLS: Readonly<Record<string, TransportProtocol>> = {
  udp: 'udp',
  tcp: 'tcp',
  tls: 'tls',
  ws: 'ws',
  wss: 'wss',
};

export const literalTarget: TargetResolver = (uri) => {
  const address = stripBrackets(uri.host);
  if (isIP(address) === 0) {
    throw new UaError(
      'BAD_REQUEST',
      `cannot send to ${uri.host}: not an IP address (pass a resolver)`,
    );
  }
  const param = uri.params['transport']?.toLowerCase();
  const protocol: TransportProtocol | undefined =
    param === undefined || param === null
      ? uri.scheme === 'sips'
        ? 'tls'
        : 'udp'
      : PROTOCOLS[param];
  if (protocol === undefined) {
    throw new UaError('BAD_REQUEST', `unsupported transport=${param} in ${uri.host}`);
  }
  const tlsLike = protocol === 'tls' || protocol === 'wss';
  return { protocol, address, port: uri.port ?? (tlsLike ? 5061 : 5060) };
};
