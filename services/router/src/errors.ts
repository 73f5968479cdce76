// The router's errors: one class, a stable code per failure. INVALID_SEND also travels as the
// `code` of the ErrorReply an agent gets. Append-only: a published code keeps its meaning.

export const RouterErrorCode = {
  /** A RouterSend failed its schema: nothing was sent (the ErrorReply's code). */
  InvalidSend: 'INVALID_SEND',
  /** A `sip.listen` entry is not `protocol:address:port`. */
  BadListen: 'BAD_LISTEN',
  /** A `tls`/`wss` listener without readable certificate and key files. */
  TlsFilesUnreadable: 'TLS_FILES_UNREADABLE',
} as const;

export type RouterErrorCode = (typeof RouterErrorCode)[keyof typeof RouterErrorCode];

export class RouterError extends Error {
  override readonly name = 'RouterError';
  readonly code: RouterErrorCode;

  constructor(code: RouterErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
