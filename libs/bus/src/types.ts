// The one bus interface every service holds: bytes and headers on subjects. Typed message
// schemas sit on top of it elsewhere; this layer never looks inside a payload.
import type { BusError } from './errors.js';

/** Message headers: names as sent, one value each (W3C `traceparent` travels here). */
export type BusHeaders = Readonly<Record<string, string>>;

export interface PublishOptions {
  readonly headers?: BusHeaders;
  /** Where a receiver should answer (request/reply done by hand). */
  readonly reply?: string;
}

export interface RespondOptions {
  readonly headers?: BusHeaders;
}

export interface BusMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  /** Always present; `{}` when the message carried none. */
  readonly headers: BusHeaders;
  /** The subject to answer on, when the sender asked for an answer. */
  readonly reply: string | undefined;
  /** Answers on `reply`; false (and nothing sent) when the message asked for no answer. */
  respond(data: Uint8Array, options?: RespondOptions): boolean;
}

/**
 * Called once per message, in the order the publisher sent them. A returned promise is not
 * awaited before the next message; a throw or rejection is reported (onError, logger) and the
 * subscription goes on.
 */
export type MessageHandler = (message: BusMessage) => void | Promise<void>;

export interface SubscribeOptions {
  /** Queue group: each message goes to one member of the group only. */
  readonly queue?: string;
}

export interface Subscription {
  readonly subject: string;
  readonly queue: string | undefined;
  /** Stops delivery at once; messages not yet handed to the handler are dropped. Idempotent. */
  unsubscribe(): void;
  /** Stops taking new messages, hands over those already received, then resolves. */
  drain(): Promise<void>;
  isClosed(): boolean;
}

export interface RequestOptions {
  /** Bound for the reply (default 5000 ms). */
  readonly timeoutMs?: number;
  readonly headers?: BusHeaders;
}

export interface BusReply {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: BusHeaders;
}

export const BusState = {
  Connected: 'connected',
  Reconnecting: 'reconnecting',
  Draining: 'draining',
  Closed: 'closed',
} as const;
export type BusState = (typeof BusState)[keyof typeof BusState];

/**
 * What happened to the connection, as it happened. A bus is connected when connectBus()
 * resolves (status() says so); events tell the changes after that.
 */
export type BusStatusEvent =
  | { readonly type: 'disconnected'; readonly server: string }
  | { readonly type: 'reconnecting'; readonly attempt: number }
  | { readonly type: 'reconnected'; readonly server: string }
  | { readonly type: 'closed'; readonly error: BusError | undefined };

export type BusStatusListener = (event: BusStatusEvent) => void;
export type BusErrorListener = (error: BusError) => void;

/** The pino subset the bus logs through (a library never logs on its own). */
export interface BusLog {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export type BusKind = 'nats' | 'in-process';

export interface Bus {
  readonly kind: BusKind;
  /** Queues the message for sending; throws BusError (CLOSED, BAD_SUBJECT, …) at once. */
  publish(subject: string, data: Uint8Array, options?: PublishOptions): void;
  /** `*` matches one token, `>` (last) one or more. */
  subscribe(subject: string, handler: MessageHandler, options?: SubscribeOptions): Subscription;
  /** Rejects with BusError TIMEOUT, NO_RESPONDERS, CLOSED or BAD_SUBJECT. */
  request(subject: string, data: Uint8Array, options?: RequestOptions): Promise<BusReply>;
  /** Resolves once everything published so far has reached the server (in-process: was dispatched). */
  flush(): Promise<void>;
  /** Refuses new work, hands every received message to its handler, then closes. */
  drain(): Promise<void>;
  /** Closes at once (pending messages are dropped). Idempotent. */
  close(): Promise<void>;
  /** Resolves when the bus is closed: with the error that closed it, or undefined. */
  closed(): Promise<BusError | undefined>;
  status(): BusState;
  isHealthy(): boolean;
  /** Returns a function that removes the listener. */
  onStatus(listener: BusStatusListener): () => void;
  /** Handler failures and asynchronous errors. Returns a function that removes the listener. */
  onError(listener: BusErrorListener): () => void;
}
