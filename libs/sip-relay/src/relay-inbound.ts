// A SipForward off the bus → what a socket transport would hand up: the parsed message (requests
// with RFC 3261 §18.2.1 received / RFC 3581 rport stamped from the router's source), the bytes
// as the router received them, and the flow at the router.
import { parseMessage } from '@sipwake/sip-parser';
import type { SipMessage } from '@sipwake/sip-parser';
import { stampReceived } from '@sipwake/sip-stack';
import type { Flow, Inbound, InboundInvalid } from '@sipwake/sip-stack';
import type { SipForward } from '@sipwake/contracts';
import { relayConnectionId } from './connection-id.js';

export type Received =
  | { readonly kind: 'message'; readonly inbound: Inbound }
  | { readonly kind: 'invalid'; readonly invalid: InboundInvalid };

/** The flow at the router: its local socket, the peer, and the connection named for the agent. */
export function flowOf(forward: SipForward): Flow {
  const { protocol, source, local, connectionId } = forward.transport;
  return {
    protocol,
    local: { address: local.address, port: local.port },
    remote: { address: source.address, port: source.port },
    ...(connectionId === null
      ? {}
      : { connectionId: relayConnectionId(forward.routerId, connectionId) }),
  };
}

/** Datagram and WebSocket messages end where their packet ends; stream ones were framed exactly. */
function parse(bytes: Buffer, flow: Flow, maxBytes: number): SipMessage {
  const datagram = flow.protocol === 'udp' || flow.protocol === 'ws' || flow.protocol === 'wss';
  return parseMessage(bytes, { datagram, maxHeaderBytes: maxBytes, maxBodyBytes: maxBytes });
}

export function receive(forward: SipForward, maxBytes: number): Received {
  const bytes = Buffer.from(forward.message, 'base64');
  const flow = flowOf(forward);
  let message: SipMessage;
  try {
    message = parse(bytes, flow, maxBytes);
    if (message.type === 'request') stampReceived(message, flow.remote);
  } catch (error) {
    const reason = error instanceof Error ? error : new Error(String(error));
    return { kind: 'invalid', invalid: { bytes, error: reason, flow } };
  }
  return { kind: 'message', inbound: { message, bytes, flow } };
}
