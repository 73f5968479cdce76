// What the INVITE and non-INVITE server transactions share: the TU's handle (`respond` into the
// machine), where responses go (RFC 3261 §18.2.2), the last provisional and final responses kept
// for retransmission, and the TU's terminated and transport-error handlers.
import type { SipRequest, SipResponse } from '@sipwake/sip-parser';
import { serializeMessage } from '@sipwake/sip-parser';
import { isReliable, responseTarget } from '../transport/via.js';
import type { Flow, Inbound, SendTarget } from '../transport/types.js';
import type { EventData, TransactionContext } from './context.js';
import { TransactionError } from './errors.js';
import type { TimerName } from './timers.js';
import type { ServerTransaction, TerminatedEvent, TerminationReason } from './types.js';

export interface ServerInternal {
  readonly transaction: ServerTransaction;
  /** Starts what runs from creation (the 100 Trying timer of an INVITE). */
  start(): void;
  /** A retransmission of the request that created the transaction arrived. */
  retransmission(): void;
  /** INVITE only: an ACK matched to this transaction (§17.2.3). */
  ack?(inbound: Inbound): void;
  /** INVITE only: the To tag of the final response sent (for RFC 2543 ACK matching). */
  finalToTag?(): string | undefined;
  /** The To tag of the responses sent so far (100 Trying aside): a local answer repeats it. */
  sentToTag(): string | undefined;
  /** stop(): terminated at once, timers cleared, TU told `stopped`. */
  abort(): void;
}

export interface ServerSetup {
  readonly ctx: TransactionContext;
  readonly id: string;
  readonly request: SipRequest;
  readonly flow: Flow;
  /** The layer forgets the transaction (called once, when it terminates). */
  readonly release: () => void;
  /** RFC 6026 §8.7: an ACK received in Accepted goes up to the TU. */
  readonly ackToTu: (inbound: Inbound, transaction: ServerTransaction) => void;
}

/** What the core needs of its state machine: the state, and the events a TU response raises. */
export interface ServerMachine<E extends string> {
  readonly state: ServerTransaction['state'];
  accepts(event: E): boolean;
  fire(event: E, data: EventData): void;
}

export interface ServerCore {
  readonly reliable: boolean;
  readonly target: SendTarget;
  /** The TU's handle on the transaction. */
  readonly transaction: ServerTransaction;
  /** Sends a response and keeps its bytes as the last provisional or final one. */
  sendResponse(response: SipResponse, onFailure: (error: unknown) => void, bytes?: Buffer): void;
  resendProvisional(onFailure: (error: unknown) => void): void;
  resendFinal(onFailure: (error: unknown) => void): void;
  /** Whether any response went out (the 100 Trying rule). */
  responded(): boolean;
  finalToTag(): string | undefined;
  sentToTag(): string | undefined;
  timeout(timer: TimerName): void;
  /** Tells the TU; `terminates` records it as the reason the transaction ends. */
  transportError(cause: unknown, terminates: boolean): void;
  terminated(reason?: TerminationReason): void;
}

/**
 * The core of one server transaction of `kind`. A response the TU passes goes to the machine
 * (read only once the transaction runs) as the event `classify` names, if its state takes it.
 */
export function createServerCore<E extends string>(
  setup: ServerSetup,
  kind: ServerTransaction['kind'],
  machine: () => ServerMachine<E>,
  classify: (status: number) => E,
): ServerCore {
  const { ctx, id, request, flow } = setup;
  // RFC 3261 §17.2.1/§17.2.2: responses go out per §18.2.2, worked out from the top Via of the
  // request and the flow it came on (the transport already stamped received/rport, §18.2.1).
  const target = responseTarget(request.topVia(), flow);
  let provisional: Buffer | undefined;
  let final: { bytes: Buffer; toTag: string | undefined } | undefined;
  let toTag: string | undefined;
  let ended: TerminatedEvent | undefined;
  let released = false;
  const terminatedHandlers: ((event: TerminatedEvent) => void)[] = [];
  const transportErrorHandlers: ((error: TransactionError) => void)[] = [];

  const transaction: ServerTransaction = {
    id,
    kind,
    request,
    flow,
    get state() {
      return machine().state;
    },
    respond(response) {
      const event = classify(response.status);
      if (!machine().accepts(event)) {
        ctx.log.debug(
          { transaction: id, status: response.status, state: machine().state },
          `response discarded: the ${kind} server transaction does not take it in this state`,
        );
        return false;
      }
      // Written first: a response that cannot be serialized throws here, before any state change.
      machine().fire(event, { response, bytes: serializeMessage(response) });
      return true;
    },
    onTerminated: (handler) => void terminatedHandlers.push(handler),
    onTransportError: (handler) => void transportErrorHandlers.push(handler),
  };

  const send = (bytes: Buffer, onFailure: (error: unknown) => void): void => {
    ctx.send(target, bytes).then(undefined, onFailure);
  };

  return {
    reliable: isReliable(flow.protocol),
    target,
    transaction,
    sendResponse(response, onFailure, bytes = serializeMessage(response)) {
      if (response.status > 100) toTag = response.to().tag ?? toTag;
      if (response.status < 200) provisional = bytes;
      else final = { bytes, toTag: response.to().tag };
      send(bytes, onFailure);
    },
    resendProvisional(onFailure) {
      if (provisional) send(provisional, onFailure);
    },
    resendFinal(onFailure) {
      if (final) send(final.bytes, onFailure);
    },
    responded: () => provisional !== undefined || final !== undefined,
    finalToTag: () => final?.toTag,
    sentToTag: () => toTag,
    timeout(timer) {
      const error = new TransactionError('TRANSACTION_TIMEOUT', `${timer} fired: no ACK received`, {
        timer,
        transactionId: id,
      });
      ended = { reason: 'timeout', error };
    },
    transportError(cause, terminates) {
      const error = new TransactionError(
        'TRANSPORT_FAILED',
        'the transport failed to send a response',
        {
          transactionId: id,
          cause,
        },
      );
      if (terminates) ended = { reason: 'transport-error', error };
      for (const handler of transportErrorHandlers)
        ctx.guard('transportError', () => handler(error));
    },
    terminated(reason) {
      if (released) return;
      released = true;
      setup.release();
      const event = reason === undefined ? (ended ?? { reason: 'completed' as const }) : { reason };
      for (const handler of terminatedHandlers) ctx.guard('terminated', () => handler(event));
    },
  };
}
