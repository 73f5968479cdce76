// What a router runs on: flat, units in the names, frozen (config.ts makes it from the config).
import type { ListenOptions } from '@sipwake/sip-stack';

export interface RouterSettings {
  /** This router's id: its own send subject, and what agents name its connections by. */
  readonly routerId: string;
  readonly listen: readonly ListenOptions[];
  /** PEM key and certificate, for `tls`/`wss` listeners. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  readonly idleTimeoutMs: number;
  readonly maxMessageBytes: number;
  readonly maxConnections: number;
  /** SO_RCVBUF of the UDP listeners (the kernel caps it at net.core.rmem_max). */
  readonly udpReceiveBufferBytes?: number;
  /** Bound for a shard's SipForwardAck of an out-of-dialog request. */
  readonly forwardTimeoutMs: number;
  /** Retry-After of the 503s the router sends itself. */
  readonly retryAfterS: number;
  /** stop(): how long new requests get 503 before the listeners close. */
  readonly stopGraceMs: number;
}

export const settingsDefaults = Object.freeze({
  idleTimeoutMs: 300_000,
  maxMessageBytes: 65_535,
  maxConnections: 10_000,
  forwardTimeoutMs: 2_000,
  retryAfterS: 5,
  stopGraceMs: 1_000,
});
