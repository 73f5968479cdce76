// The real stack on loopback for interop tests against Kamailio and SIPp: socket transports on
// free ports, a transaction layer on the system clock, and a log of every message sent (with
// the time), so a test can check retransmission intervals from this side too.
import type { SipMessage } from '@sipwake/sip-parser';
import { parseMessage } from '@sipwake/sip-parser';
import { systemClock, type Clock } from '../clock.js';
import { createTransactionLayer } from '../transaction/layer.js';
import type { TransactionLayer } from '../transaction/types.js';
import { createTransport } from '../transport/transport.js';
import type { SendTarget, Transport, TransportProtocol } from '../transport/types.js';

export interface SentRecord {
  /** clock.now() when it was handed to the transport. */
  readonly at: number;
  readonly target: SendTarget;
  readonly message: SipMessage;
  /** The stream connection it went out on, once the transport said so. */
  readonly connectionId: string | undefined;
}

export interface StackEndpoint {
  readonly clock: Clock;
  readonly transport: Transport;
  readonly layer: TransactionLayer;
  /** Our listening port for a protocol. */
  port(protocol: TransportProtocol): number;
  /** Everything sent so far, in order. */
  readonly sent: readonly SentRecord[];
  stop(): Promise<void>;
}

export interface StackEndpointOptions {
  /** Default ['udp']. */
  readonly protocols?: readonly TransportProtocol[];
  readonly t1Ms?: number;
  readonly t2Ms?: number;
}

export async function startStackEndpoint(
  options: StackEndpointOptions = {},
): Promise<StackEndpoint> {
  const clock = systemClock();
  const inner = createTransport({
    listen: (options.protocols ?? ['udp']).map((protocol) => ({
      protocol,
      address: '127.0.0.1',
      port: 0,
    })),
    clock,
    idleTimeoutMs: 60_000,
    keepAliveIntervalMs: 0,
    maxMessageBytes: 65_535,
  });
  type Writable = { -readonly [K in keyof SentRecord]: SentRecord[K] };
  const sent: Writable[] = [];
  const transport: Transport = {
    start: () => inner.start(),
    stop: () => inner.stop(),
    listening: () => inner.listening(),
    send(target, message) {
      const parsed = Buffer.isBuffer(message) ? parseMessage(message, { datagram: true }) : message;
      const record: Writable = {
        at: clock.now(),
        target,
        message: parsed,
        connectionId: undefined,
      };
      sent.push(record);
      return inner.send(target, message).then((flow) => {
        record.connectionId = flow.connectionId;
        return flow;
      });
    },
    onMessage: (handler) => inner.onMessage(handler),
    onInvalid: (handler) => inner.onInvalid(handler),
    onFlowClosed: (handler) => inner.onFlowClosed(handler),
  };
  await transport.start();
  const layer = createTransactionLayer({
    transport,
    clock,
    ...(options.t1Ms === undefined ? {} : { t1Ms: options.t1Ms }),
    ...(options.t2Ms === undefined ? {} : { t2Ms: options.t2Ms }),
  });
  return {
    clock,
    transport,
    layer,
    port(protocol) {
      const listener = transport.listening().find((l) => l.protocol === protocol);
      if (!listener) throw new Error(`no ${protocol} listener`);
      return listener.port;
    },
    sent,
    async stop() {
      layer.stop();
      await transport.stop();
    },
  };
}
