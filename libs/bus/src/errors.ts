// The bus's errors: one class, a stable code per failure, the evidence as fields.
// The table below is append-only: a code, once published, keeps its meaning.

export const BusErrorCode = {
  /** A request got no reply within timeoutMs. */
  Timeout: 'TIMEOUT',
  /** A request's subject had no subscriber at all (told at once, not after the timeout). */
  NoResponders: 'NO_RESPONDERS',
  /** The bus is closed or draining: no new publish, subscription or request. */
  Closed: 'CLOSED',
  /** A subject or queue name NATS would refuse (empty token, whitespace, misplaced wildcard). */
  BadSubject: 'BAD_SUBJECT',
  /** A header name or value that cannot travel (empty name, CR/LF, ':' in the name). */
  BadHeader: 'BAD_HEADER',
  /** A payload larger than the server's max_payload (the in-process bus: maxPayloadBytes). */
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  /** The first connection to NATS could not be made. */
  ConnectFailed: 'CONNECT_FAILED',
  /** A message handler threw or rejected (reported, never fatal to the bus). */
  HandlerFailed: 'HANDLER_FAILED',
  /** The options do not make a working bus. */
  BadOptions: 'BAD_OPTIONS',
  /** Any other failure the NATS client reported (its code is in `cause`). */
  TransportFailed: 'TRANSPORT_FAILED',
} as const;

export type BusErrorCode = (typeof BusErrorCode)[keyof typeof BusErrorCode];

/** Whether trying again (later) can succeed: decided where the error is raised. */
const retryableCodes: ReadonlySet<BusErrorCode> = new Set<BusErrorCode>([
  BusErrorCode.Timeout,
  BusErrorCode.NoResponders,
  BusErrorCode.ConnectFailed,
  BusErrorCode.TransportFailed,
]);

export class BusError extends Error {
  override readonly name = 'BusError';
  readonly code: BusErrorCode;
  readonly retryable: boolean;
  /** The subject the operation was about, when there is one. */
  readonly subject: string | undefined;

  constructor(
    code: BusErrorCode,
    message: string,
    options: { subject?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = retryableCodes.has(code);
    this.subject = options.subject;
  }
}

export function isBusError(value: unknown, code?: BusErrorCode): value is BusError {
  return value instanceof BusError && (code === undefined || value.code === code);
}
