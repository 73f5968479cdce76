// Waits on what a Transport hands up: each next…() resolves with the next message, invalid
// message or closed flow, in arrival order.
import type { FlowClosed, Inbound, InboundInvalid, Transport } from '../transport/types.js';

export interface TransportProbe {
  nextMessage(): Promise<Inbound>;
  nextInvalid(): Promise<InboundInvalid>;
  nextClosed(): Promise<FlowClosed>;
  /** Everything received so far. */
  readonly messages: readonly Inbound[];
  readonly invalid: readonly InboundInvalid[];
  readonly closed: readonly FlowClosed[];
}

function queue<T>(): { push(value: T): void; next(): Promise<T>; all: T[] } {
  const all: T[] = [];
  const waiting: ((value: T) => void)[] = [];
  let taken = 0;
  return {
    all,
    push(value) {
      all.push(value);
      const resolve = waiting.shift();
      if (resolve) {
        taken++;
        resolve(value);
      }
    },
    next() {
      if (taken < all.length) return Promise.resolve(all[taken++] as T);
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}

export function probe(transport: Transport): TransportProbe {
  const messages = queue<Inbound>();
  const invalid = queue<InboundInvalid>();
  const closed = queue<FlowClosed>();
  transport.onMessage((m) => messages.push(m));
  transport.onInvalid((m) => invalid.push(m));
  transport.onFlowClosed((c) => closed.push(c));
  return {
    nextMessage: messages.next,
    nextInvalid: invalid.next,
    nextClosed: closed.next,
    messages: messages.all,
    invalid: invalid.all,
    closed: closed.all,
  };
}
