// Where received messages go up: the received/rport stamp on requests, then the handlers the
// layer above registered. Shared by the socket transports and the in-memory one.
import { parseMessage, type SipMessage } from '@sipwake/sip-parser';
import type { TransportLog } from './options.js';
import type { Flow, FlowClosed, Inbound, InboundInvalid } from './types.js';
import { stampReceived } from './via.js';

export interface InboundDispatcher {
  onMessage(handler: (inbound: Inbound) => void): void;
  onInvalid(handler: (inbound: InboundInvalid) => void): void;
  /** A parsed message: requests get their top Via stamped first (a bad top Via makes it invalid). */
  message(message: SipMessage, bytes: Buffer, flow: Flow): void;
  invalid(bytes: Buffer, error: Error, flow: Flow): void;
  onFlowClosed(handler: (closed: FlowClosed) => void): void;
  flowClosed(closed: FlowClosed): void;
}

/**
 * A message its datagram or WebSocket message bounds (RFC 3261 §18.3, RFC 7118 §5.2), parsed
 * whole; the parse error when it does not parse. Sizes are limited to `maxBytes` when given.
 */
export function parseWhole(bytes: Buffer, maxBytes?: number): SipMessage | Error {
  try {
    return parseMessage(bytes, {
      datagram: true,
      ...(maxBytes === undefined ? {} : { maxHeaderBytes: maxBytes, maxBodyBytes: maxBytes }),
    });
  } catch (error) {
    return asError(error);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export function createInboundDispatcher(log: TransportLog): InboundDispatcher {
  const messageHandlers: ((inbound: Inbound) => void)[] = [];
  const invalidHandlers: ((inbound: InboundInvalid) => void)[] = [];
  const closedHandlers: ((closed: FlowClosed) => void)[] = [];

  // A handler that throws must not take the socket loop down with it.
  const call = <T>(handlers: readonly ((value: T) => void)[], value: T, flow: Flow): void => {
    for (const handler of handlers) {
      try {
        handler(value);
      } catch (error) {
        log.error({ err: error, flow }, 'transport handler threw');
      }
    }
  };

  const invalid = (bytes: Buffer, error: Error, flow: Flow): void => {
    log.debug({ flow, err: error, bytes: bytes.length }, 'invalid SIP message received');
    call(invalidHandlers, { bytes, error, flow }, flow);
  };

  return {
    onMessage: (handler) => void messageHandlers.push(handler),
    onInvalid: (handler) => void invalidHandlers.push(handler),
    message(message, bytes, flow) {
      if (message.type === 'request') {
        try {
          stampReceived(message, flow.remote);
        } catch (error) {
          invalid(bytes, asError(error), flow);
          return;
        }
      }
      call(messageHandlers, { message, bytes, flow }, flow);
    },
    invalid,
    onFlowClosed: (handler) => void closedHandlers.push(handler),
    flowClosed: (closed) => call(closedHandlers, closed, closed.flow),
  };
}
