// What every transaction gets from its layer: the clock, the timer values, the transport's send,
// a log, and a guard that keeps a throwing TU handler from breaking a state machine.
import type { SipMessage, SipResponse } from '@sipwake/sip-parser';
import type { Clock } from '../clock.js';
import type { Flow, Inbound, SendTarget } from '../transport/types.js';
import type { TransactionTimers } from './timers.js';
import type { TransactionLog } from './types.js';

export interface TransactionContext {
  readonly clock: Clock;
  readonly timers: TransactionTimers;
  readonly log: TransactionLog;
  /** The transport's send (resolves with the flow used, rejects with its TransportError). */
  send(target: SendTarget, message: SipMessage | Buffer): Promise<Flow>;
  /** Runs TU code; a throw is logged with `what`, never propagated into the machine. False when it threw. */
  guard(what: string, fn: () => void): boolean;
}

/** What a machine's events carry: the response received or sent, or the transport's failure. */
export interface EventData {
  readonly response?: SipResponse;
  /** The response serialized before the event fired (a message that cannot be written never enters the machine). */
  readonly bytes?: Buffer;
  readonly error?: unknown;
  /** An ACK the machine may pass up (RFC 6026 Accepted). */
  readonly inbound?: Inbound;
}

export function createGuard(log: TransactionLog): (what: string, fn: () => void) => boolean {
  return (what, fn) => {
    try {
      fn();
      return true;
    } catch (error) {
      log.warn({ err: error, handler: what }, 'transaction user handler threw');
      return false;
    }
  };
}
