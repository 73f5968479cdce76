// The top Via of a request the layer sends: kept when the TU wrote one (with its branch), else
// added with our transport token, our sent-by, a new branch and `rport`.
import type { SipRequest } from '@sipwake/sip-parser';
import { bracketIPv6 } from '../transport/address.js';
import type { TransportProtocol } from '../transport/types.js';
import { viaTransportToken } from '../transport/via.js';
import { generateBranch } from './branch.js';
import { TransactionError } from './errors.js';
import type { SentBy } from './types.js';

/** Returns the branch of the request's top Via, adding the Via first when there is none. */
export function ensureTopVia(
  request: SipRequest,
  protocol: TransportProtocol,
  sentBy: (protocol: TransportProtocol) => SentBy | undefined,
): string {
  if (request.headers.has('via')) {
    const branch = request.topVia().branch;
    // RFC 3261 §8.1.1.7: "The Via header field value MUST contain a branch parameter."
    if (branch === undefined || branch === '') {
      throw new TransactionError('BAD_REQUEST', 'the top Via of the request has no branch');
    }
    return branch;
  }
  const by = sentBy(protocol);
  if (!by) {
    throw new TransactionError(
      'NO_SENT_BY',
      `no Via sent-by for ${protocol}: no listener with a concrete address, and no sentBy option`,
    );
  }
  const branch = generateBranch();
  // RFC 3261 §18.1.1: "the client transport MUST insert a value of the "sent-by" field into the
  // Via header field [...] the IP address or host name, and port"; §8.1.1.7 the branch;
  // RFC 3581 §3: "A client [...] MAY include an "rport" parameter [...] with no value".
  const port = by.port === undefined ? '' : `:${by.port}`;
  request.headers.prepend(
    'via',
    `SIP/2.0/${viaTransportToken(protocol)} ${bracketIPv6(by.host)}${port};branch=${branch};rport`,
  );
  return branch;
}
