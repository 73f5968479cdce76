// The user-agent layer's errors. Codes are stable and append-only; README.md in this folder
// lists them, and errors.test.ts checks that the two agree. A UaError never carries a password:
// its evidence is the status and the response the far end sent.
import type { SipResponse } from '@sipwake/sip-parser';

export const UaErrorCodes = {
  /** 401/407 again after our credentials (not stale), or a challenge we hold no credentials for. */
  UNAUTHORIZED: { retryable: false },
  /** A final non-2xx response other than an authentication challenge. */
  REJECTED: { retryable: false },
  /** The transaction timed out (Timer B or F): no final response. */
  TIMEOUT: { retryable: true },
  /** The transport failed to send the request. */
  TRANSPORT_FAILED: { retryable: true },
  /** RFC 3261 §13.3.1.4: the 2xx to an INVITE was retransmitted for 64*T1 without an ACK. */
  NO_ACK: { retryable: false },
  /** The request could not be built or sent (the message says why). */
  BAD_REQUEST: { retryable: false },
  /** The dialog is terminated already. */
  DIALOG_TERMINATED: { retryable: false },
  /** stop() was called. */
  STOPPED: { retryable: false },
} as const;

export type UaErrorCode = keyof typeof UaErrorCodes;

export class UaError extends Error {
  override readonly name = 'UaError';
  readonly retryable: boolean;
  /** The final response, for UNAUTHORIZED and REJECTED. */
  readonly response: SipResponse | undefined;
  /** Its status code, for UNAUTHORIZED and REJECTED. */
  readonly status: number | undefined;

  constructor(
    readonly code: UaErrorCode,
    message: string,
    options: { response?: SipResponse; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = UaErrorCodes[code].retryable;
    this.response = options.response;
    this.status = options.response?.status;
  }
}
