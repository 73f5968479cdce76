// createTransport()'s options: one schema, defaults beside it, validated once into a frozen value.
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { TransportError, TransportErrorCode } from './errors.js';
import type { ListenOptions, TransportProtocol } from './types.js';

/** The pino subset the transport logs through (a library never logs on its own). */
export interface TransportLog {
  debug(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface TlsOptions {
  /** PEM private key and certificate: required for `tls`/`wss` listeners, offered as a client certificate. */
  readonly key?: string | Buffer;
  readonly cert?: string | Buffer;
  /** PEM trust anchors; the system store when absent. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Check the peer's certificate on connections we open (default true). */
  readonly rejectUnauthorized?: boolean;
}

export interface TransportOptions {
  readonly listen: readonly ListenOptions[];
  readonly clock?: Clock;
  readonly tls?: TlsOptions;
  /** A connection with no traffic either way for this long is closed. */
  readonly idleTimeoutMs: number;
  /** RFC 5626 §4.4.1 CRLFCRLF pings on connections we opened; 0 = none. */
  readonly keepAliveIntervalMs: number;
  /** Largest message accepted on any transport (a stream that buffers more is closed). */
  readonly maxMessageBytes: number;
  /** A connection is opened or accepted only while fewer are open (default 10,000). */
  readonly maxConnections?: number;
  /** How long a connect (TCP + TLS/WebSocket handshakes) may take (default 10 s). */
  readonly connectTimeoutMs?: number;
  /**
   * RFC 5626 §4.4.1: a pong not received this long after a ping means the flow failed and it is
   * closed. Off by default: only a peer that supports outbound is bound to answer.
   */
  readonly keepAlivePongTimeoutMs?: number;
  /**
   * SO_RCVBUF of each UDP socket, bytes; the kernel caps it at `net.core.rmem_max` (and Linux
   * doubles it for its own bookkeeping). Unset: the kernel's default, which a burst of
   * datagrams overflows before the event loop reads them.
   */
  readonly udpReceiveBufferBytes?: number;
  readonly log?: TransportLog;
}

export interface ResolvedTransportOptions {
  readonly listen: readonly ListenOptions[];
  readonly clock: Clock;
  readonly tls: TlsOptions | undefined;
  readonly idleTimeoutMs: number;
  readonly keepAliveIntervalMs: number;
  readonly maxMessageBytes: number;
  readonly maxConnections: number;
  readonly connectTimeoutMs: number;
  readonly keepAlivePongTimeoutMs: number | undefined;
  readonly udpReceiveBufferBytes: number | undefined;
  readonly log: TransportLog;
}

export const transportDefaults = {
  maxConnections: 10_000,
  connectTimeoutMs: 10_000,
} as const;

const protocols: readonly TransportProtocol[] = ['udp', 'tcp', 'tls', 'ws', 'wss'];

const silentLog: TransportLog = { debug() {}, warn() {}, error() {} };

function positive(key: string, value: number | undefined, allowZero: boolean): void {
  if (value === undefined) return;
  const ok = Number.isFinite(value) && (allowZero ? value >= 0 : value > 0);
  if (!ok) {
    const expected = allowZero ? 'a number >= 0' : 'a number > 0';
    throw new TransportError(
      TransportErrorCode.BadOptions,
      `${key} must be ${expected}, got ${value}`,
    );
  }
}

export function resolveTransportOptions(options: TransportOptions): ResolvedTransportOptions {
  positive('idleTimeoutMs', options.idleTimeoutMs, false);
  positive('keepAliveIntervalMs', options.keepAliveIntervalMs, true);
  positive('udpReceiveBufferBytes', options.udpReceiveBufferBytes, false);
  positive('maxMessageBytes', options.maxMessageBytes, false);
  positive('maxConnections', options.maxConnections, false);
  positive('connectTimeoutMs', options.connectTimeoutMs, false);
  positive('keepAlivePongTimeoutMs', options.keepAlivePongTimeoutMs, false);
  options.listen.forEach((listen, i) => {
    if (!protocols.includes(listen.protocol)) {
      throw new TransportError(
        TransportErrorCode.BadOptions,
        `listen[${i}].protocol must be one of ${protocols.join(', ')}, got ${String(listen.protocol)}`,
      );
    }
    if (!Number.isInteger(listen.port) || listen.port < 0 || listen.port > 65535) {
      throw new TransportError(
        TransportErrorCode.BadOptions,
        `listen[${i}].port must be an integer 0..65535, got ${listen.port}`,
      );
    }
    const secure = listen.protocol === 'tls' || listen.protocol === 'wss';
    if (secure && (!options.tls?.key || !options.tls.cert)) {
      throw new TransportError(
        TransportErrorCode.BadOptions,
        `listen[${i}] (${listen.protocol}) needs tls.key and tls.cert`,
      );
    }
  });
  return Object.freeze({
    listen: Object.freeze(options.listen.map((l) => Object.freeze({ ...l }))),
    clock: options.clock ?? systemClock(),
    tls: options.tls,
    idleTimeoutMs: options.idleTimeoutMs,
    keepAliveIntervalMs: options.keepAliveIntervalMs,
    maxMessageBytes: options.maxMessageBytes,
    maxConnections: options.maxConnections ?? transportDefaults.maxConnections,
    connectTimeoutMs: options.connectTimeoutMs ?? transportDefaults.connectTimeoutMs,
    keepAlivePongTimeoutMs: options.keepAlivePongTimeoutMs,
    udpReceiveBufferBytes: options.udpReceiveBufferBytes,
    log: options.log ?? silentLog,
  });
}
