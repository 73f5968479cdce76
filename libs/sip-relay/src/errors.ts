// sip-relay's own errors: one class, a stable code per failure. Send failures of the relay
// transport are sip-stack `TransportError`s (the transaction layer above knows those).
// Append-only: a published code keeps its meaning.

export const RelayErrorCode = {
  /** A marker was asked for something that is not a selector (40 lowercase hex digits). */
  BadSelector: 'BAD_SELECTOR',
  /** The relay transport's options cannot make a working transport (the message names the key). */
  BadOptions: 'BAD_OPTIONS',
} as const;

export type RelayErrorCode = (typeof RelayErrorCode)[keyof typeof RelayErrorCode];

export class RelayError extends Error {
  override readonly name = 'RelayError';
  readonly code: RelayErrorCode;

  constructor(code: RelayErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
