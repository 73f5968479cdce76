// One stream connection (TCP, TLS, WebSocket): frames what arrives, answers pings, sends, and
// closes itself when idle, when framing is lost or a bound is exceeded, or when a pong is missing.
import { createStreamFramer, ParseErrorCode, SipParseError } from '@sipwake/sip-parser';
import type { FramerEvent, StreamFramer } from '@sipwake/sip-parser';
import type { TimerHandle } from '../clock.js';
import { parseWhole, type InboundDispatcher } from './inbound.js';
import type { ResolvedTransportOptions } from './options.js';
import type { Pipe } from './pipe.js';
import type { Endpoint, Flow, FlowCloseReason, TransportProtocol } from './types.js';

/** Why a connection closed. */
export const CloseReason = {
  /** No traffic either way for idleTimeoutMs. */
  Idle: 'idle',
  /** The stream could not be framed any more. */
  FramingLost: 'framing-lost',
  /** A message (or what is buffered for one) exceeds maxMessageBytes. */
  TooLarge: 'too-large',
  /** RFC 5626 §4.4.1: no pong in time after a keep-alive ping. */
  PongTimeout: 'pong-timeout',
  /** The peer closed it, or the socket failed. */
  Peer: 'peer',
  /** The transport stopped. */
  Stopped: 'stopped',
} as const satisfies Record<string, FlowCloseReason>;

export type CloseReason = FlowCloseReason;

export interface Connection {
  readonly id: string;
  readonly flow: Flow;
  /** We opened it (keep-alive pings are ours to send). */
  readonly outbound: boolean;
  /** TLS/WSS connections we opened: the name the server's certificate was checked against. */
  readonly serverName: string | undefined;
  readonly isOpen: boolean;
  send(bytes: Buffer): Promise<void>;
  close(reason: CloseReason): void;
  /** Resolves once the socket under it is closed. */
  readonly closed: Promise<CloseReason>;
}

export interface ConnectionInit {
  readonly id: string;
  readonly protocol: TransportProtocol;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly outbound: boolean;
  readonly serverName?: string;
  readonly pipe: Pipe;
  readonly options: ResolvedTransportOptions;
  readonly inbound: InboundDispatcher;
  /** Called once, when the connection stops being usable (before the socket is fully closed). */
  readonly onClosing: (connection: Connection, reason: CloseReason) => void;
}

const PING = Buffer.from('\r\n\r\n');
const PONG = Buffer.from('\r\n');

export function openConnection(init: ConnectionInit): Connection {
  const { pipe, options, inbound } = init;
  const { clock, log } = options;
  const flow: Flow = {
    protocol: init.protocol,
    local: init.local,
    remote: init.remote,
    connectionId: init.id,
  };
  // RFC 5626 §4.4.1: on a flow we opened we send the pings and a lone CRLF is the pong; on one
  // the peer opened it pings, and a lone CRLF is never a pong.
  const framer: StreamFramer | undefined =
    pipe.framing === 'stream'
      ? createStreamFramer({
          maxHeaderBytes: options.maxMessageBytes,
          maxBodyBytes: options.maxMessageBytes,
          keepAliveRole: init.outbound ? 'client' : 'server',
        })
      : undefined;

  let reason: CloseReason | undefined;
  let lastActivity = clock.now();
  let idleTimer: TimerHandle | undefined;
  let keepAliveTimer: TimerHandle | undefined;
  let pongTimer: TimerHandle | undefined;
  let resolveClosed: (reason: CloseReason) => void = () => undefined;
  const closed = new Promise<CloseReason>((resolve) => {
    resolveClosed = resolve;
  });

  const touch = (): void => {
    lastActivity = clock.now();
  };

  const scheduleIdle = (delayMs: number): void => {
    idleTimer = clock.setTimeout(() => {
      const quietMs = clock.now() - lastActivity;
      if (quietMs >= options.idleTimeoutMs) close(CloseReason.Idle);
      else scheduleIdle(options.idleTimeoutMs - quietMs);
    }, delayMs);
  };

  // RFC 5626 §4.4.1: the client sends CRLFCRLF pings on a flow it opened; "If a pong is not
  // received within 10 seconds after sending a ping [...] the client MUST treat the flow as failed".
  const scheduleKeepAlive = (): void => {
    keepAliveTimer = clock.setTimeout(() => {
      pipe.ping();
      touch();
      if (options.keepAlivePongTimeoutMs !== undefined && pongTimer === undefined) {
        pongTimer = clock.setTimeout(
          () => close(CloseReason.PongTimeout),
          options.keepAlivePongTimeoutMs,
        );
      }
      scheduleKeepAlive();
    }, options.keepAliveIntervalMs);
  };

  const pongReceived = (): void => {
    clock.clearTimeout(pongTimer);
    pongTimer = undefined;
  };

  const handle = (event: FramerEvent): void => {
    switch (event.type) {
      case 'message':
        inbound.message(event.message, event.bytes, flow);
        break;
      case 'invalid':
        inbound.invalid(event.bytes, event.error, flow);
        break;
      case 'ping':
        // RFC 5626 §4.4.1: "When a server receives a double CRLF [...] it MUST respond with a single CRLF".
        pipe.pong();
        break;
      case 'pong':
        pongReceived();
        break;
    }
  };

  const receiveChunk = (chunk: Buffer): void => {
    if (!framer) return;
    let events: FramerEvent[];
    try {
      events = framer.push(chunk);
    } catch (error) {
      const tooLarge =
        error instanceof SipParseError &&
        (error.code === ParseErrorCode.HeaderTooLarge ||
          error.code === ParseErrorCode.BodyTooLarge);
      log.debug({ flow, err: error }, 'stream framing lost: closing the connection');
      close(tooLarge ? CloseReason.TooLarge : CloseReason.FramingLost);
      return;
    }
    for (const event of events) handle(event);
    if (framer.buffered > options.maxMessageBytes) {
      log.debug({ flow, buffered: framer.buffered }, 'message exceeds maxMessageBytes: closing');
      close(CloseReason.TooLarge);
    }
  };

  // RFC 7118 §5.2: "Each SIP message MUST be carried within a single WebSocket message": the
  // WebSocket message bounds the SIP message, as a datagram does.
  const receiveWholeMessage = (bytes: Buffer): void => {
    if (bytes.equals(PING)) return handle({ type: 'ping' });
    if (bytes.equals(PONG)) return handle({ type: 'pong' });
    const message = parseWhole(bytes, options.maxMessageBytes);
    if (message instanceof Error) inbound.invalid(bytes, message, flow);
    else inbound.message(message, bytes, flow);
  };

  const stopTimers = (): void => {
    clock.clearTimeout(idleTimer);
    clock.clearTimeout(keepAliveTimer);
    clock.clearTimeout(pongTimer);
    idleTimer = keepAliveTimer = pongTimer = undefined;
  };

  const close = (why: CloseReason): void => {
    if (reason !== undefined) return;
    reason = why;
    stopTimers();
    log.debug({ flow, reason: why }, 'connection closing');
    init.onClosing(connection, why);
    pipe.destroy();
  };

  const connection: Connection = {
    id: init.id,
    flow,
    outbound: init.outbound,
    serverName: init.serverName,
    get isOpen() {
      return reason === undefined;
    },
    async send(bytes) {
      if (reason !== undefined) throw new Error(`connection ${init.id} is closed (${reason})`);
      touch();
      await pipe.write(bytes);
    },
    close,
    closed,
  };

  pipe.attach({
    data(chunk) {
      if (reason !== undefined) return;
      touch();
      if (pipe.framing === 'stream') receiveChunk(chunk);
      else receiveWholeMessage(chunk);
    },
    pong() {
      touch();
      pongReceived();
    },
    activity: touch,
    closed(error, tooLarge) {
      if (error) log.debug({ flow, err: error }, 'connection failed');
      close(tooLarge ? CloseReason.TooLarge : CloseReason.Peer);
      resolveClosed(reason ?? CloseReason.Peer);
    },
  });
  scheduleIdle(options.idleTimeoutMs);
  if (init.outbound && options.keepAliveIntervalMs > 0) scheduleKeepAlive();
  return connection;
}
