// The public shapes of the transaction layer (RFC 3261 §17, RFC 6026): what a UA core, a proxy
// core or a registration client codes against.
import type { SipRequest, SipResponse } from '@sipwake/sip-parser';
import type { Clock } from '../clock.js';
import type {
  Flow,
  Inbound,
  SendTarget,
  Transport,
  TransportProtocol,
} from '../transport/types.js';
import type { TransactionError } from './errors.js';

/** The pino subset the layer logs through (a library never logs on its own). */
export interface TransactionLog {
  debug(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** Our sent-by for the Via the layer adds (RFC 3261 §18.1.1): host (IPv6 without brackets) and port. */
export interface SentBy {
  readonly host: string;
  readonly port?: number;
}

export interface TransactionLayerOptions {
  readonly transport: Transport;
  readonly clock: Clock;
  /** RFC 3261 T1, the RTT estimate (default 500 ms). */
  readonly t1Ms?: number;
  /** RFC 3261 T2, the longest retransmit interval for non-INVITE requests and INVITE responses (default 4 s). */
  readonly t2Ms?: number;
  /** RFC 3261 T4, the longest time a message stays in the network (default 5 s). */
  readonly t4Ms?: number;
  /** RFC 3261 §17.2.1: 100 Trying goes out when the TU has not answered an INVITE within this (default 200 ms). */
  readonly tryingMs?: number;
  /** Transactions alive at once, client and server together (default 100,000). */
  readonly maxTransactions?: number;
  /**
   * The sent-by of the Via the layer adds to a request that has none. Default: the address and
   * port of the transport's listener for that protocol (a wildcard listener needs this option).
   */
  readonly sentBy?: (protocol: TransportProtocol) => SentBy | undefined;
  readonly log?: TransactionLog;
}

/** RFC 3261 Figure 5 and RFC 6026 §7.2. */
export type InviteClientState = 'Calling' | 'Proceeding' | 'Completed' | 'Accepted' | 'Terminated';
/** RFC 3261 Figure 6. */
export type NonInviteClientState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';
/** RFC 3261 Figure 7 and RFC 6026 §7.1. */
export type InviteServerState =
  'Proceeding' | 'Completed' | 'Confirmed' | 'Accepted' | 'Terminated';
/** RFC 3261 Figure 8. */
export type NonInviteServerState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

/** Why a transaction ended. */
export const TerminationReason = {
  /** The machine ran its course (Timer D, I, J, K, L, M, or at once on a reliable transport). */
  Completed: 'completed',
  /** Timer B or F (no final response), Timer H (no ACK), or no final response 64*T1 after CANCEL. */
  Timeout: 'timeout',
  /** The transport failed to send. */
  TransportError: 'transport-error',
  /** stop() ended it. */
  Stopped: 'stopped',
} as const;
export type TerminationReason = (typeof TerminationReason)[keyof typeof TerminationReason];

export interface TerminatedEvent {
  readonly reason: TerminationReason;
  /** For `timeout` and `transport-error`. */
  readonly error?: TransactionError;
}

/** What a client transaction tells its TU. Every handler is optional; a throwing handler is logged. */
export interface ClientTransactionHandlers {
  /** Each provisional response (1xx). */
  provisional?(response: SipResponse, transaction: ClientTransaction): void;
  /**
   * The final response. For INVITE, every further 2xx received in Accepted (a retransmission,
   * or another branch's answer) comes here too (RFC 6026 §7.2): the TU ACKs each one.
   */
  final?(response: SipResponse, transaction: ClientTransaction): void;
  /** Timer B / Timer F fired, or the CANCEL wait ran out: act as on a 408 (RFC 3261 §8.1.3.1). */
  timeout?(error: TransactionError, transaction: ClientTransaction): void;
  /** The transport failed: act as on a 503 (RFC 3261 §8.1.3.1). */
  transportError?(error: TransactionError, transaction: ClientTransaction): void;
  /** Last call: the transaction is gone. */
  terminated?(event: TerminatedEvent, transaction: ClientTransaction): void;
}

export interface ClientTransaction {
  /** The matching key (branch + method). */
  readonly id: string;
  readonly kind: 'invite' | 'non-invite';
  /** The request as sent (with the Via the layer added). */
  readonly request: SipRequest;
  readonly branch: string;
  readonly target: SendTarget;
  /** The flow the request went out on, once the transport said so. */
  readonly flow: Flow | undefined;
  readonly state: InviteClientState | NonInviteClientState;
}

/** What sendCancel() did (RFC 3261 §9.1). */
export const CancelOutcome = {
  /** A provisional response was in: the CANCEL went out. */
  Sent: 'sent',
  /** No provisional response yet: the CANCEL goes out when one arrives, or never if a final one comes first. */
  Pending: 'pending',
  /** A final response was received already: "the CANCEL SHOULD NOT be sent". */
  TooLate: 'too-late',
} as const;
export type CancelOutcome = (typeof CancelOutcome)[keyof typeof CancelOutcome];

export interface CancelOptions {
  /** Header fields added to the CANCEL, e.g. `Reason` (RFC 3326). */
  readonly headers?: readonly (readonly [name: string, value: string])[];
  /** Events of the CANCEL's own non-INVITE client transaction. */
  readonly handlers?: ClientTransactionHandlers;
}

export interface ServerTransaction {
  /** The matching key (§17.2.3). */
  readonly id: string;
  readonly kind: 'invite' | 'non-invite';
  /** The request that created the transaction. */
  readonly request: SipRequest;
  /** The flow the request came on. */
  readonly flow: Flow;
  readonly state: InviteServerState | NonInviteServerState;
  /**
   * Sends a response the TU built (createResponse). A response the state does not take (a second
   * final response, RFC 3261 §17.2.2 "MUST be discarded") is dropped and `false` returned.
   */
  respond(response: SipResponse): boolean;
  /** Called once when the transaction ends (Timer H or a transport failure: with the error). */
  onTerminated(handler: (event: TerminatedEvent) => void): void;
  /**
   * The transport failed to send a response (RFC 3261 §17.2.4: "inform the TU"). Before
   * Accepted the transaction then terminates; in Accepted (RFC 6026) it stays, the TU owns the 2xx.
   */
  onTransportError(handler: (error: TransactionError) => void): void;
}

export interface TransactionLayer {
  /** Starts a client transaction (RFC 3261 §17.1). Throws TransactionError when it cannot. */
  sendRequest(
    request: SipRequest,
    target: SendTarget,
    handlers?: ClientTransactionHandlers,
  ): ClientTransaction;
  /** RFC 3261 §9.1: cancels a pending INVITE client transaction of this layer. */
  sendCancel(invite: ClientTransaction, options?: CancelOptions): CancelOutcome;
  /**
   * Sends a request outside any transaction: the ACK for a 2xx (RFC 3261 §13.2.2.4, "its own
   * transaction"), adding a Via with a new branch when it has none.
   */
  sendStateless(request: SipRequest, target: SendTarget): Promise<Flow>;
  // Each on…() sets the one handler of its kind (a later call replaces it).
  /**
   * New requests (not retransmissions, not ACK, not a CANCEL that matched). Without a handler a
   * request is answered 503; a handler that throws before answering leaves a 500.
   */
  onRequest(handler: (transaction: ServerTransaction) => void): void;
  /** RFC 3261 §9.2: a CANCEL that matched a server transaction; the TU answers both. */
  onCancel(handler: (cancel: ServerTransaction, cancelled: ServerTransaction) => void): void;
  /**
   * An ACK the layer does not absorb: the ACK for a 2xx (RFC 6026 §8.7: passed up from Accepted,
   * with that transaction) or one matching no transaction.
   */
  onStrayAck(handler: (inbound: Inbound, invite: ServerTransaction | undefined) => void): void;
  /** A response matching no client transaction (RFC 6026 §7.3: a proxy core decides). */
  onStrayResponse(handler: (inbound: Inbound) => void): void;
  /** Transactions alive now. */
  size(): { readonly client: number; readonly server: number };
  /** Clears every timer and terminates every transaction (reason `stopped`). Idempotent. */
  stop(): void;
}
