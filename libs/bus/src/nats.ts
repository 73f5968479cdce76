// The NATS bus: the maintained nats.js client behind the Bus interface. It reconnects by itself
// (unlimited attempts by default, jittered wait), says so through status events and the logger,
// and turns the client's errors into BusError codes in one place (nats-wire.ts).
import { connect, Events, DebugEvents, NatsError, type NatsConnection, type Status } from 'nats';
import { BusError, BusErrorCode } from './errors.js';
import { copyHeaders } from './headers.js';
import { runHandler } from './handler.js';
import { Listeners } from './listeners.js';
import { fromNatsHeaders, NatsMessage, toBusError, toNatsHeaders } from './nats-wire.js';
import { checkPublishSubject, checkQueueName, checkSubscribeSubject } from './subject.js';
import type {
  Bus,
  BusErrorListener,
  BusLog,
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

export interface NatsBusOptions {
  readonly kind: 'nats';
  /** `nats://127.0.0.1:4222`, or several servers of one cluster. */
  readonly servers: string | readonly string[];
  /** The connection name nats-server shows (`/connz`). */
  readonly name?: string;
  readonly user?: string;
  /** Never logged, never put in an error message. */
  readonly pass?: string;
  readonly token?: string;
  /** Bound for the first connection (default 5000 ms). */
  readonly connectTimeoutMs?: number;
  /** Keep trying the first connection instead of failing with CONNECT_FAILED (default false). */
  readonly waitOnFirstConnect?: boolean;
  /** Wait between reconnect attempts to one server (default 2000 ms)… */
  readonly reconnectTimeWaitMs?: number;
  /** …plus a random 0..reconnectJitterMs (default 500 ms). */
  readonly reconnectJitterMs?: number;
  /** -1 (the default): never give up. */
  readonly maxReconnectAttempts?: number;
  /** Client PING interval (default 30000 ms); a server missing 2 PONGs is stale. */
  readonly pingIntervalMs?: number;
  /** Default request timeout (default 5000 ms). */
  readonly requestTimeoutMs?: number;
  readonly log?: BusLog;
}

/** Servers as they may be logged: any user:password@ part masked. */
function safeServers(servers: string | readonly string[]): string[] {
  return (typeof servers === 'string' ? [servers] : [...servers]).map((s) =>
    s.replace(/\/\/[^@/]*@/, '//***@'),
  );
}

export async function connectNatsBus(options: NatsBusOptions): Promise<Bus> {
  const servers = typeof options.servers === 'string' ? [options.servers] : [...options.servers];
  if (servers.length === 0) throw new BusError(BusErrorCode.BadOptions, 'no NATS server given');
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers,
      name: options.name,
      user: options.user,
      pass: options.pass,
      token: options.token,
      timeout: options.connectTimeoutMs ?? 5000,
      waitOnFirstConnect: options.waitOnFirstConnect ?? false,
      reconnect: true,
      reconnectTimeWait: options.reconnectTimeWaitMs ?? 2000,
      reconnectJitter: options.reconnectJitterMs ?? 500,
      maxReconnectAttempts: options.maxReconnectAttempts ?? -1,
      pingInterval: options.pingIntervalMs ?? 30_000,
    });
  } catch (cause) {
    const code = cause instanceof NatsError ? cause.code : 'unknown';
    throw new BusError(
      BusErrorCode.ConnectFailed,
      `cannot connect to NATS at ${safeServers(servers).join(', ')} (${code})`,
      { cause },
    );
  }
  return new NatsBus(nc, options);
}

class NatsBus implements Bus {
  readonly kind = 'nats' as const;
  private state: BusState = 'connected';
  private reconnectAttempt = 0;
  private readonly statusListeners = new Listeners<BusStatusEvent>();
  private readonly errorListeners = new Listeners<BusError>();
  private readonly closedPromise: Promise<BusError | undefined>;
  private readonly requestTimeoutMs: number;
  private readonly log: BusLog | undefined;
  private readonly report = (error: BusError): void => this.reportError(error);

  constructor(
    private readonly nc: NatsConnection,
    options: NatsBusOptions,
  ) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5000;
    this.log = options.log;
    this.log?.info({ bus: 'nats', server: nc.getServer(), name: options.name }, 'bus connected');
    void this.watchStatus();
    this.closedPromise = nc.closed().then((cause) => {
      this.state = 'closed';
      const error = cause === undefined ? undefined : toBusError(cause);
      if (error === undefined) this.log?.info({ bus: 'nats' }, 'bus closed');
      else this.log?.error({ bus: 'nats', err: error }, 'bus closed by an error');
      this.statusListeners.emit({ type: 'closed', error });
      return error;
    });
  }

  publish(subject: string, data: Uint8Array, options: PublishOptions = {}): void {
    if (this.state === 'closed') {
      throw new BusError(BusErrorCode.Closed, 'the bus is closed', { subject });
    }
    checkPublishSubject(subject);
    if (options.reply !== undefined) checkPublishSubject(options.reply);
    const headers =
      options.headers === undefined
        ? undefined
        : toNatsHeaders(copyHeaders(options.headers, subject));
    try {
      this.nc.publish(subject, data, { headers, reply: options.reply });
    } catch (cause) {
      throw toBusError(cause, subject);
    }
  }

  subscribe(
    subject: string,
    handler: MessageHandler,
    options: SubscribeOptions = {},
  ): Subscription {
    if (this.state === 'closed' || this.state === 'draining') {
      throw new BusError(BusErrorCode.Closed, `the bus is ${this.state}`, { subject });
    }
    checkSubscribeSubject(subject);
    if (options.queue !== undefined) checkQueueName(options.queue);
    let sub;
    try {
      sub = this.nc.subscribe(subject, {
        queue: options.queue,
        callback: (error, msg) => {
          if (error !== null) this.report(toBusError(error, subject));
          else runHandler(handler, new NatsMessage(msg, this), this.report);
        },
      });
    } catch (cause) {
      throw toBusError(cause, subject);
    }
    return {
      subject,
      queue: options.queue,
      unsubscribe: () => {
        if (!sub.isClosed() && !this.nc.isClosed()) sub.unsubscribe();
      },
      drain: async () => {
        if (sub.isClosed() || this.nc.isClosed()) return;
        await sub.drain().catch((cause: unknown) => {
          if (!sub.isClosed() && !this.nc.isClosed()) throw toBusError(cause, subject);
        });
      },
      isClosed: () => sub.isClosed(),
    };
  }

  async request(
    subject: string,
    data: Uint8Array,
    options: RequestOptions = {},
  ): Promise<BusReply> {
    if (this.state === 'closed' || this.state === 'draining') {
      throw new BusError(BusErrorCode.Closed, `the bus is ${this.state}`, { subject });
    }
    checkPublishSubject(subject);
    const headers =
      options.headers === undefined
        ? undefined
        : toNatsHeaders(copyHeaders(options.headers, subject));
    try {
      const msg = await this.nc.request(subject, data, {
        timeout: options.timeoutMs ?? this.requestTimeoutMs,
        headers,
      });
      return { subject: msg.subject, data: msg.data, headers: fromNatsHeaders(msg.headers) };
    } catch (cause) {
      // nats.js ends a request still waiting at close() as if it had timed out.
      if (this.nc.isClosed()) {
        throw new BusError(BusErrorCode.Closed, 'the bus closed before the reply', {
          subject,
          cause,
        });
      }
      throw toBusError(cause, subject);
    }
  }

  async flush(): Promise<void> {
    try {
      await this.nc.flush();
    } catch (cause) {
      throw toBusError(cause);
    }
  }

  async drain(): Promise<void> {
    if (this.state !== 'closed' && this.state !== 'draining') {
      this.state = 'draining';
      try {
        await this.nc.drain();
      } catch (cause) {
        if (!this.nc.isClosed()) throw toBusError(cause);
      }
    }
    await this.closedPromise;
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.close();
    await this.closedPromise;
  }

  closed(): Promise<BusError | undefined> {
    return this.closedPromise;
  }

  status(): BusState {
    return this.state;
  }

  isHealthy(): boolean {
    return this.state === 'connected' && !this.nc.isClosed();
  }

  onStatus(listener: BusStatusListener): () => void {
    return this.statusListeners.add(listener);
  }

  onError(listener: BusErrorListener): () => void {
    return this.errorListeners.add(listener);
  }

  private async watchStatus(): Promise<void> {
    for await (const status of this.nc.status()) this.onClientStatus(status);
  }

  private onClientStatus(status: Status): void {
    const server = typeof status.data === 'string' ? status.data : '';
    switch (status.type) {
      case Events.Disconnect:
        if (this.state === 'connected') this.state = 'reconnecting';
        this.reconnectAttempt = 0;
        this.log?.warn({ bus: 'nats', server }, 'bus disconnected; reconnecting');
        this.statusListeners.emit({ type: 'disconnected', server });
        break;
      case DebugEvents.Reconnecting:
        this.reconnectAttempt++;
        this.log?.info({ bus: 'nats', attempt: this.reconnectAttempt }, 'bus reconnecting');
        this.statusListeners.emit({ type: 'reconnecting', attempt: this.reconnectAttempt });
        break;
      case Events.Reconnect:
        if (this.state === 'reconnecting') this.state = 'connected';
        this.log?.info({ bus: 'nats', server, attempts: this.reconnectAttempt }, 'bus reconnected');
        this.statusListeners.emit({ type: 'reconnected', server });
        break;
      case Events.LDM:
        this.log?.warn({ bus: 'nats', server }, 'server entering lame duck mode');
        break;
      case Events.Error:
        this.reportError(toBusError(status.data));
        break;
      default:
        break;
    }
  }

  private reportError(error: BusError): void {
    this.log?.error({ err: error, subject: error.subject, code: error.code }, error.message);
    this.errorListeners.emit(error);
  }
}
