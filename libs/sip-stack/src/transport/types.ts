// The transport layer's contract: what the transaction layer and everything above sees.
// Implementations: UDP, TCP, TLS, WebSocket (RFC 7118), and an in-memory one for tests.
import type { SipMessage } from '@sipwake/sip-parser';

export type TransportProtocol = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

export interface Endpoint {
  readonly address: string; // IPv4 or IPv6 literal, no brackets
  readonly port: number;
}

/** Where a message came from / goes to. `connectionId` pins a stream flow (RFC 5626). */
export interface Flow {
  readonly protocol: TransportProtocol;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  /** Set for stream transports: the connection the message arrived on. */
  readonly connectionId?: string;
}

export interface Inbound {
  readonly message: SipMessage;
  /** The exact bytes received (a router forwards these unchanged). */
  readonly bytes: Buffer;
  readonly flow: Flow;
}

/** A message that was framed but does not parse (the layer above may answer 400). */
export interface InboundInvalid {
  readonly bytes: Buffer;
  readonly error: Error;
  readonly flow: Flow;
}

/** Why a stream flow closed: the layer above re-registers or fails over (RFC 5626 §4.4.1). */
export type FlowCloseReason =
  'idle' | 'framing-lost' | 'too-large' | 'pong-timeout' | 'peer' | 'stopped';

export interface FlowClosed {
  readonly flow: Flow;
  readonly reason: FlowCloseReason;
}

export interface SendTarget {
  readonly protocol: TransportProtocol;
  readonly address: string;
  readonly port: number;
  /** Reuse this connection when it is still open; otherwise connect to address:port. */
  readonly connectionId?: string;
  /** TLS/WSS server name for SNI and certificate checks. */
  readonly serverName?: string;
}

export interface ListenOptions {
  readonly protocol: TransportProtocol;
  readonly address: string; // '127.0.0.1', '::1', '0.0.0.0'
  readonly port: number; // 0 = any free port
}

export interface Transport {
  start(): Promise<void>;
  /** Closes every listener and connection. Idempotent. */
  stop(): Promise<void>;
  /** The bound addresses (after start), one per listener. */
  listening(): readonly (ListenOptions & { readonly port: number })[];
  /** Serializes and sends; resolves with the flow actually used (for connection reuse). Rejects with a TransportError. */
  send(target: SendTarget, message: SipMessage | Buffer): Promise<Flow>;
  onMessage(handler: (inbound: Inbound) => void): void;
  onInvalid(handler: (inbound: InboundInvalid) => void): void;
  /** A stream connection closed (datagram flows never close). */
  onFlowClosed(handler: (closed: FlowClosed) => void): void;
}
