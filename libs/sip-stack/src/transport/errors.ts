// The transport layer's errors: one class, a stable code per failure, the evidence as fields.
// The table below is append-only: a code, once published, keeps its meaning.
import type { TransportProtocol } from './types.js';

export const TransportErrorCode = {
  /** The connection could not be opened (refused, unreachable, TLS/WebSocket handshake failed). */
  ConnectFailed: 'CONNECT_FAILED',
  /** The connection was not open within connectTimeoutMs. */
  ConnectTimeout: 'CONNECT_TIMEOUT',
  /** The message does not fit the transport (UDP: more than 65,507 bytes). */
  MessageTooLarge: 'MESSAGE_TOO_LARGE',
  /** The connection closed before or while the message was written. */
  ConnectionClosed: 'CONNECTION_CLOSED',
  /** The transport is not started (or is stopped), or has no listener for this protocol/family. */
  NotListening: 'NOT_LISTENING',
  /** maxConnections open connections already: no new one is opened. */
  ConnectionLimit: 'CONNECTION_LIMIT',
  /** The socket refused the write (a datagram send error). */
  SendFailed: 'SEND_FAILED',
  /** A listener could not bind its address. */
  ListenFailed: 'LISTEN_FAILED',
  /** The options do not make a working transport (a TLS listener without a certificate, a bad bound). */
  BadOptions: 'BAD_OPTIONS',
} as const;

export type TransportErrorCode = (typeof TransportErrorCode)[keyof typeof TransportErrorCode];

/** Whether trying again (later, or another target) can succeed: decided where the error is raised. */
const retryableCodes: ReadonlySet<TransportErrorCode> = new Set<TransportErrorCode>([
  TransportErrorCode.ConnectFailed,
  TransportErrorCode.ConnectTimeout,
  TransportErrorCode.ConnectionClosed,
  TransportErrorCode.ConnectionLimit,
  TransportErrorCode.SendFailed,
]);

export interface TransportErrorTarget {
  readonly protocol: TransportProtocol;
  readonly address: string;
  readonly port: number;
}

export class TransportError extends Error {
  override readonly name = 'TransportError';
  readonly code: TransportErrorCode;
  readonly retryable: boolean;
  /** Where the message was going (absent for listener and option errors). */
  readonly target: TransportErrorTarget | undefined;

  constructor(
    code: TransportErrorCode,
    message: string,
    options: { target?: TransportErrorTarget; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = retryableCodes.has(code);
    this.target = options.target;
  }
}

/** `udp:127.0.0.1:5060`, `tcp:[::1]:5060`: how errors and logs name an endpoint. */
export function describeTarget(target: TransportErrorTarget): string {
  const host = target.address.includes(':') ? `[${target.address}]` : target.address;
  return `${target.protocol}:${host}:${target.port}`;
}
