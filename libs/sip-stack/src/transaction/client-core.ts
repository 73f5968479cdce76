// What the INVITE and non-INVITE client transactions share: the TU's handle, sending on the flow
// the request took, the TU handlers behind a guard, and the one terminated notification.
import type { SipMessage, SipRequest, SipResponse } from '@sipwake/sip-parser';
import { isReliable } from '../transport/via.js';
import type { Flow, SendTarget } from '../transport/types.js';
import type { TransactionContext } from './context.js';
import { TransactionError } from './errors.js';
import type { TimerName } from './timers.js';
import type {
  CancelOutcome,
  ClientTransaction,
  ClientTransactionHandlers,
  TerminationReason,
} from './types.js';

export interface ClientInternal {
  readonly transaction: ClientTransaction;
  /** Passes the request to the transport and starts the first timers. */
  start(): void;
  /** A response matched to this transaction (§17.1.3). */
  receive(response: SipResponse): void;
  /** stop(): terminated at once, timers cleared, TU told `stopped`. */
  abort(): void;
  /** INVITE only (RFC 3261 §9.1): `send` builds and sends the CANCEL when the time comes. */
  cancel?(send: () => void): CancelOutcome;
}

export interface ClientSetup {
  readonly ctx: TransactionContext;
  readonly id: string;
  readonly request: SipRequest;
  readonly branch: string;
  readonly target: SendTarget;
  readonly handlers: ClientTransactionHandlers;
  /** The layer forgets the transaction (called once, when it terminates). */
  readonly release: () => void;
}

export interface ClientCore {
  readonly reliable: boolean;
  /** The TU's handle on the transaction (what the handlers receive). */
  readonly transaction: ClientTransaction;
  flow(): Flow | undefined;
  /**
   * Where every later message goes: the connection the request took, when the transport named
   * one (RFC 3261 §17.1.1.3: the ACK "MUST be sent to the same address, port, and transport").
   */
  currentTarget(): SendTarget;
  send(message: SipMessage | Buffer, onFailure: (error: unknown) => void): void;
  provisional(response: SipResponse): void;
  final(response: SipResponse): void;
  /** Tells the TU and records why the transaction will terminate. */
  timeout(timer: TimerName): void;
  transportError(cause: unknown): void;
  /** The one terminated notification (with the reason recorded before, else `completed`). */
  terminated(reason?: TerminationReason): void;
}

/**
 * The core of one client transaction of `kind`; `machine` is read only once the transaction
 * runs (its state shows through the TU's handle).
 */
export function createClientCore(
  setup: ClientSetup,
  kind: ClientTransaction['kind'],
  machine: () => { readonly state: ClientTransaction['state'] },
): ClientCore {
  const { ctx, id, target, handlers } = setup;
  let flow: Flow | undefined;
  let ended: { reason: TerminationReason; error?: TransactionError } | undefined;
  let released = false;

  const transaction: ClientTransaction = {
    id,
    kind,
    request: setup.request,
    branch: setup.branch,
    target,
    get flow() {
      return flow;
    },
    get state() {
      return machine().state;
    },
  };

  const currentTarget = (): SendTarget =>
    flow?.connectionId === undefined ? target : { ...target, connectionId: flow.connectionId };

  return {
    reliable: isReliable(target.protocol),
    transaction,
    flow: () => flow,
    currentTarget,
    send(message, onFailure) {
      ctx.send(currentTarget(), message).then(
        (used) => void (flow ??= used),
        (error: unknown) => onFailure(error),
      );
    },
    provisional(response) {
      ctx.guard('provisional', () => handlers.provisional?.(response, transaction));
    },
    final(response) {
      ctx.guard('final', () => handlers.final?.(response, transaction));
    },
    timeout(timer) {
      const error = new TransactionError(
        'TRANSACTION_TIMEOUT',
        `${timer} fired: no final response`,
        {
          timer,
          transactionId: id,
        },
      );
      ended = { reason: 'timeout', error };
      ctx.guard('timeout', () => handlers.timeout?.(error, transaction));
    },
    transportError(cause) {
      const error = new TransactionError('TRANSPORT_FAILED', 'the transport failed to send', {
        transactionId: id,
        cause,
      });
      ended = { reason: 'transport-error', error };
      ctx.guard('transportError', () => handlers.transportError?.(error, transaction));
    },
    terminated(reason) {
      if (released) return;
      released = true;
      setup.release();
      const event = reason === undefined ? (ended ?? { reason: 'completed' as const }) : { reason };
      ctx.guard('terminated', () => handlers.terminated?.(event, transaction));
    },
  };
}
