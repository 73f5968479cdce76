// The transaction layer's errors. Codes are stable and append-only; README.md in this folder
// lists them, and errors.test.ts checks that the two agree.
import type { TimerName } from './timers.js';

/** Every code, with the SIP status the TU acts on (RFC 3261 §8.1.3.1, §17.1.1.2) and retryability. */
export const TransactionErrorCodes = {
  /** Timer B, Timer F, Timer H or the 64*T1 wait after a CANCEL fired: the TU treats it as a 408. */
  TRANSACTION_TIMEOUT: { sipStatus: 408, retryable: true },
  /** The transport failed to send a request, ACK or response: the TU treats it as a 503. */
  TRANSPORT_FAILED: { sipStatus: 503, retryable: true },
  /** stop() was called: the layer takes no new transaction. */
  LAYER_STOPPED: { sipStatus: 503, retryable: false },
  /** maxTransactions transactions are alive already. */
  TOO_MANY_TRANSACTIONS: { sipStatus: 503, retryable: true },
  /** No Via sent-by is known for this protocol (no listener and no sentBy option). */
  NO_SENT_BY: { sipStatus: 503, retryable: false },
  /** The request cannot start a client transaction (ACK, CSeq method mismatch, Via without branch). */
  BAD_REQUEST: { sipStatus: 400, retryable: false },
  /** A client transaction with this branch and method is alive already. */
  DUPLICATE_TRANSACTION: { sipStatus: 482, retryable: false },
  /** CANCEL asked for a transaction that is not an INVITE client transaction of this layer. */
  NOT_CANCELLABLE: { sipStatus: 481, retryable: false },
  /** createTransactionLayer() options out of range (the message names the key). */
  BAD_OPTIONS: { sipStatus: 500, retryable: false },
} as const;

export type TransactionErrorCode = keyof typeof TransactionErrorCodes;

export class TransactionError extends Error {
  override readonly name = 'TransactionError';
  /** The response the TU handles this error as (408 for a timeout, 503 for a transport failure). */
  readonly sipStatus: number;
  readonly retryable: boolean;
  /** The timer that fired, for TRANSACTION_TIMEOUT. */
  readonly timer: TimerName | undefined;
  /** The transaction the error belongs to, when there is one. */
  readonly transactionId: string | undefined;

  constructor(
    readonly code: TransactionErrorCode,
    message: string,
    options: { timer?: TimerName; transactionId?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.sipStatus = TransactionErrorCodes[code].sipStatus;
    this.retryable = TransactionErrorCodes[code].retryable;
    this.timer = options.timer;
    this.transactionId = options.transactionId;
  }
}
