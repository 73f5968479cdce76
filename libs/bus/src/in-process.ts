// The in-process bus for the embedded default: NATS semantics inside one process. Wildcards
// match as nats-server matches them, a queue group hands each message to one member
// (round-robin), requests get "no responders" at once, and delivery is always asynchronous:
// publish() only queues, handlers run on a later turn of the event loop, in publish order.
import { randomUUID } from 'node:crypto';
import { BusError, BusErrorCode } from './errors.js';
import { copyHeaders, noHeaders } from './headers.js';
import { runHandler } from './handler.js';
import { Listeners } from './listeners.js';
import { checkPublishSubject, checkQueueName, checkSubscribeSubject } from './subject.js';
import { SubscriptionTable, inboxPrefix, type LocalSubscription } from './subscription-table.js';
import { systemTimers, type BusTimers } from './timers.js';
import type {
  Bus,
  BusErrorListener,
  BusHeaders,
  BusLog,
  BusMessage,
  BusReply,
  BusState,
  BusStatusEvent,
  BusStatusListener,
  MessageHandler,
  PublishOptions,
  RequestOptions,
  SubscribeOptions,
  Subscription,
} from './types.js';

export interface InProcessBusOptions {
  readonly kind?: 'in-process';
  /** Largest payload accepted, like nats-server's max_payload (default 1 MiB). */
  readonly maxPayloadBytes?: number;
  /** Default request timeout (default 5000 ms). */
  readonly requestTimeoutMs?: number;
  readonly timers?: BusTimers;
  readonly log?: BusLog;
}

interface Envelope {
  readonly subject: string;
  readonly headers: BusHeaders;
  readonly reply: string | undefined;
}

type Delivery =
  | { readonly sub: LocalSubscription; readonly envelope: Envelope; readonly data: Uint8Array }
  | (() => void);

interface PendingRequest {
  resolve(reply: BusReply): void;
  reject(error: BusError): void;
  readonly timer: unknown;
}

export function createInProcessBus(options: InProcessBusOptions = {}): Bus {
  return new InProcessBus(options);
}

class InProcessBus implements Bus {
  readonly kind = 'in-process' as const;
  private state: BusState = 'connected';
  private readonly table = new SubscriptionTable();
  private queue: Delivery[] = [];
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private readonly requests = new Map<string, PendingRequest>();
  private readonly inbox: string;
  private nextInbox = 0;
  private readonly statusListeners = new Listeners<BusStatusEvent>();
  private readonly errorListeners = new Listeners<BusError>();
  private closing: Promise<void> | undefined;
  private readonly closedPromise: Promise<BusError | undefined>;
  private resolveClosed!: (error: BusError | undefined) => void;
  private readonly maxPayloadBytes: number;
  private readonly requestTimeoutMs: number;
  private readonly timers: BusTimers;
  private readonly log: BusLog | undefined;

  constructor(options: InProcessBusOptions) {
    this.maxPayloadBytes = options.maxPayloadBytes ?? 1024 * 1024;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5000;
    if (!(this.maxPayloadBytes > 0) || !(this.requestTimeoutMs > 0)) {
      throw new BusError(
        BusErrorCode.BadOptions,
        'maxPayloadBytes and requestTimeoutMs must be > 0',
      );
    }
    this.timers = options.timers ?? systemTimers;
    this.log = options.log;
    this.inbox = `${inboxPrefix}${randomUUID()}.`;
    this.closedPromise = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  publish(subject: string, data: Uint8Array, options: PublishOptions = {}): void {
    if (this.state === 'closed') throw this.closedError(subject);
    checkPublishSubject(subject);
    if (options.reply !== undefined) checkPublishSubject(options.reply);
    if (data.byteLength > this.maxPayloadBytes) {
      throw new BusError(
        BusErrorCode.PayloadTooLarge,
        `payload of ${data.byteLength} bytes exceeds ${this.maxPayloadBytes}`,
        { subject },
      );
    }
    const envelope: Envelope = {
      subject,
      headers: copyHeaders(options.headers, subject),
      reply: options.reply,
    };
    // The sender hands its buffer over (as with nats.js); the first receiver gets it, every
    // other one its own copy, made now so no receiver sees another one's changes.
    let handedOver = false;
    const bytes = (): Uint8Array => {
      if (handedOver) return new Uint8Array(data);
      handedOver = true;
      return data;
    };
    if (subject.startsWith(this.inbox)) this.answer(envelope, bytes);
    for (const sub of this.table.receivers(subject)) {
      this.enqueue({ sub, envelope, data: bytes() });
    }
  }

  subscribe(
    subject: string,
    handler: MessageHandler,
    options: SubscribeOptions = {},
  ): Subscription {
    if (this.state !== 'connected') throw this.closedError(subject);
    const tokens = checkSubscribeSubject(subject);
    if (options.queue !== undefined) checkQueueName(options.queue);
    const sub: LocalSubscription = {
      tokens,
      queue: options.queue,
      handler,
      state: 'active',
      pending: 0,
      drained: undefined,
    };
    this.table.add(sub);
    return {
      subject,
      queue: options.queue,
      unsubscribe: () => this.endSub(sub),
      drain: () => this.drainSub(sub),
      isClosed: () => sub.state === 'closed',
    };
  }

  request(subject: string, data: Uint8Array, options: RequestOptions = {}): Promise<BusReply> {
    return new Promise<BusReply>((resolve, reject) => {
      if (this.state !== 'connected') throw this.closedError(subject);
      checkPublishSubject(subject);
      if (this.table.matching(subject).length === 0) {
        throw new BusError(BusErrorCode.NoResponders, `no responders on ${subject}`, { subject });
      }
      const inbox = this.inbox + String(this.nextInbox++);
      const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
      const timer = this.timers.setTimeout(() => {
        this.requests.delete(inbox);
        reject(
          new BusError(BusErrorCode.Timeout, `no reply on ${subject} in ${timeoutMs} ms`, {
            subject,
          }),
        );
      }, timeoutMs);
      this.requests.set(inbox, { resolve, reject, timer });
      try {
        this.publish(subject, data, { headers: options.headers, reply: inbox });
      } catch (error) {
        this.timers.clearTimeout(timer);
        this.requests.delete(inbox);
        throw error;
      }
    });
  }

  flush(): Promise<void> {
    if (this.state === 'closed') return Promise.reject(this.closedError());
    return new Promise((resolve) => this.enqueue(resolve));
  }

  async drain(): Promise<void> {
    if (this.state !== 'connected') return this.closing ?? this.close();
    this.state = 'draining';
    this.closing = (async () => {
      await Promise.all(this.table.all().map((sub) => this.drainSub(sub)));
      await new Promise<void>((resolve) => this.enqueue(resolve));
      this.shutDown();
    })();
    return this.closing;
  }

  close(): Promise<void> {
    if (this.closing === undefined || this.state === 'draining') {
      this.shutDown();
      this.closing = Promise.resolve();
    }
    return this.closing;
  }

  closed(): Promise<BusError | undefined> {
    return this.closedPromise;
  }

  status(): BusState {
    return this.state;
  }

  isHealthy(): boolean {
    return this.state === 'connected';
  }

  onStatus(listener: BusStatusListener): () => void {
    return this.statusListeners.add(listener);
  }

  onError(listener: BusErrorListener): () => void {
    return this.errorListeners.add(listener);
  }

  private answer(envelope: Envelope, bytes: () => Uint8Array): void {
    const pending = this.requests.get(envelope.subject);
    if (pending === undefined) return;
    this.requests.delete(envelope.subject);
    this.timers.clearTimeout(pending.timer);
    pending.resolve({ subject: envelope.subject, data: bytes(), headers: envelope.headers });
  }

  private enqueue(delivery: Delivery): void {
    if (this.state === 'closed') {
      if (typeof delivery === 'function') delivery();
      return;
    }
    if (typeof delivery !== 'function') delivery.sub.pending++;
    this.queue.push(delivery);
    this.immediate ??= setImmediate(() => this.dispatch());
  }

  private dispatch(): void {
    this.immediate = undefined;
    const batch = this.queue;
    this.queue = [];
    for (const delivery of batch) {
      if (typeof delivery === 'function') {
        delivery();
        continue;
      }
      const { sub, envelope, data } = delivery;
      sub.pending--;
      if (sub.state === 'closed') continue;
      runHandler(sub.handler, this.message(envelope, data), (error) => this.reportError(error));
      if (sub.state === 'draining' && sub.pending === 0) this.endSub(sub);
    }
  }

  private message(envelope: Envelope, data: Uint8Array): BusMessage {
    const { reply } = envelope;
    return {
      subject: envelope.subject,
      data,
      headers: envelope.headers,
      reply,
      respond: (data, options = {}) => {
        if (reply === undefined) return false;
        this.publish(reply, data, { headers: options.headers ?? noHeaders });
        return true;
      },
    };
  }

  private drainSub(sub: LocalSubscription): Promise<void> {
    if (sub.state === 'closed') return Promise.resolve();
    sub.state = 'draining';
    this.table.changed(sub);
    if (sub.pending === 0) {
      this.endSub(sub);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const previous = sub.drained;
      sub.drained = () => {
        previous?.();
        resolve();
      };
    });
  }

  private endSub(sub: LocalSubscription): void {
    if (sub.state === 'closed') return;
    sub.state = 'closed';
    this.table.changed(sub);
    const drained = sub.drained;
    sub.drained = undefined;
    drained?.();
  }

  private shutDown(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.immediate = undefined;
    const left = this.queue;
    this.queue = [];
    for (const sub of this.table.all()) this.endSub(sub);
    for (const delivery of left) if (typeof delivery === 'function') delivery();
    for (const [inbox, pending] of this.requests) {
      this.timers.clearTimeout(pending.timer);
      pending.reject(
        new BusError(BusErrorCode.Closed, 'the bus closed before the reply', { subject: inbox }),
      );
    }
    this.requests.clear();
    this.log?.info({ bus: this.kind }, 'bus closed');
    this.statusListeners.emit({ type: 'closed', error: undefined });
    this.resolveClosed(undefined);
  }

  private closedError(subject?: string): BusError {
    return new BusError(
      BusErrorCode.Closed,
      `the bus is ${this.state}`,
      subject === undefined ? {} : { subject },
    );
  }

  private reportError(error: BusError): void {
    this.log?.error({ err: error, subject: error.subject, code: error.code }, error.message);
    this.errorListeners.emit(error);
  }
}
