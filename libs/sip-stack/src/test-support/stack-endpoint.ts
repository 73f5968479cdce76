// The real stack on loopback for interop tests against Kamailio and SIPp: socket transports on
// free ports, a transaction layer on the system clock, user agents on it, and a log of every
// message sent (with the time), so a test can check retransmission intervals from this side too.
import type { SipMessage } from '@sipwake/sip-parser';
import { parseMessage } from '@sipwake/sip-parser';
import { systemClock, type Clock } from '../clock.js';
import { createTransactionLayer } from '../transaction/layer.js';
import type { TransactionLayer } from '../transaction/types.js';
import { createTransport } from '../transport/transport.js';
import type { SendTarget, Transport, TransportProtocol } from '../transport/types.js';
import { createUserAgent, type UserAgent } from '../ua/user-agent.js';
import { TEST_TRANSPORT_OPTIONS } from './test-transports.js';

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
  /** `sip:<user>@127.0.0.1:<port>` (`;transport=tcp` for TCP); default: the first protocol. */
  contact(user: string, protocol?: TransportProtocol): string;
  /** A user agent with that contact and the endpoint's T1/T2, stopped by stop(). */
  userAgent(user: string): UserAgent;
  /** Stops the user agents, the layer and the transport. */
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
  const protocols = options.protocols ?? ['udp'];
  const inner = createTransport({
    listen: protocols.map((protocol) => ({
      protocol,
      address: '127.0.0.1',
      port: 0,
    })),
    clock,
    ...TEST_TRANSPORT_OPTIONS,
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
  const timers = { t1Ms: options.t1Ms, t2Ms: options.t2Ms };
  const layer = createTransactionLayer({ transport, clock, ...timers });
  const agents: UserAgent[] = [];
  const port = (protocol: TransportProtocol): number => {
    const listener = transport.listening().find((l) => l.protocol === protocol);
    if (!listener) throw new Error(`no ${protocol} listener`);
    return listener.port;
  };
  const contact = (user: string, protocol = protocols[0] ?? 'udp'): string =>
    `sip:${user}@127.0.0.1:${port(protocol)}${protocol === 'udp' ? '' : `;transport=${protocol}`}`;
  return {
    clock,
    transport,
    layer,
    port,
    sent,
    contact,
    userAgent(user) {
      const ua = createUserAgent({ layer, clock, contact: contact(user), ...timers });
      agents.push(ua);
      return ua;
    },
    async stop() {
      for (const ua of agents.splice(0)) ua.stop();
      layer.stop();
      await transport.stop();
    },
  };
}
