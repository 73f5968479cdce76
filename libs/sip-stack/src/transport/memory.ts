// An in-memory network of transports for tests of the layers above: endpoints deliver to each
// other through the real parser (the serialized bytes are parsed on delivery), with optional
// loss and duplication of datagrams for retransmission tests. Streams are reliable and keep
// connection ids, as the socket transports do.
import { createStreamFramer, serializeMessage } from '@sipwake/sip-parser';
import type { StreamFramer } from '@sipwake/sip-parser';
import type { Clock } from '../clock.js';
import { sameAddress } from './address.js';
import { describeTarget, TransportError, TransportErrorCode } from './errors.js';
import { createInboundDispatcher, parseWhole } from './inbound.js';
import type { InboundDispatcher } from './inbound.js';
import type { BoundListen } from './listener.js';
import type { TransportLog } from './options.js';
import type {
  Endpoint,
  Flow,
  FlowCloseReason,
  ListenOptions,
  SendTarget,
  Transport,
  TransportProtocol,
} from './types.js';
import { MAX_UDP_PAYLOAD } from './udp.js';

/** What happens to one datagram. */
export type MemoryFate = 'deliver' | 'drop' | 'duplicate';

export interface MemoryPacket {
  /** The sender's view of the flow. */
  readonly flow: Flow;
  readonly bytes: Buffer;
}

export interface MemoryNetworkOptions {
  /** Share (0..1) of datagrams lost. */
  readonly loss?: number;
  /** Share (0..1) of datagrams delivered twice. */
  readonly duplication?: number;
  /** Source of randomness for loss and duplication (seed it for repeatable tests). */
  readonly random?: () => number;
  /** With latencyMs, deliveries wait on this clock; else they happen on the next microtask. */
  readonly clock?: Clock;
  readonly latencyMs?: number;
  readonly log?: TransportLog;
}

export interface MemoryNetwork {
  /** An endpoint with one or more listeners (port 0 = a free port of this network). */
  transport(listen: ListenOptions | readonly ListenOptions[]): Transport;
  /** Decides each datagram's fate first (e.g. drop the first INVITE); `undefined` removes it. */
  intercept(decide: ((packet: MemoryPacket) => MemoryFate | undefined) | undefined): void;
  /** Closes a stream connection at both ends, as a failed flow. */
  closeConnection(connectionId: string): void;
  /** Every message sent on this network, in order, delivered or not. */
  sent(): readonly MemoryPacket[];
  /** Resolves once no immediate delivery is waiting (deliveries on the clock wait for it to move). */
  settle(): Promise<void>;
}

interface Node {
  readonly bound: readonly BoundListen[];
  readonly running: boolean;
  readonly inbound: InboundDispatcher;
}

interface Side {
  readonly node: Node;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly framer: StreamFramer;
}

interface MemoryConnection {
  readonly id: string;
  readonly protocol: TransportProtocol;
  readonly sides: readonly [Side, Side];
  open: boolean;
}

const silentLog: TransportLog = { debug() {}, warn() {}, error() {} };

export function createMemoryNetwork(networkOptions: MemoryNetworkOptions = {}): MemoryNetwork {
  const random = networkOptions.random ?? Math.random;
  const log = networkOptions.log ?? silentLog;
  const nodes = new Set<Node>();
  const connections = new Map<string, MemoryConnection>();
  const packets: MemoryPacket[] = [];
  let decide: ((packet: MemoryPacket) => MemoryFate | undefined) | undefined;
  let nextPort = 20_000;
  let nextConnection = 1;
  let inFlight = 0;

  const schedule = (deliver: () => void): void => {
    const { clock, latencyMs } = networkOptions;
    if (clock && latencyMs) {
      clock.setTimeout(deliver, latencyMs);
      return;
    }
    inFlight++;
    queueMicrotask(() => {
      inFlight--;
      deliver();
    });
  };

  const listenerAt = (
    protocol: TransportProtocol,
    address: string,
    port: number,
  ): Node | undefined => {
    for (const node of nodes) {
      const hit = node.bound.some(
        (b) =>
          b.protocol === protocol &&
          b.port === port &&
          (sameAddress(b.address, address) || b.address === '0.0.0.0' || b.address === '::'),
      );
      if (node.running && hit) return node;
    }
    return undefined;
  };

  const fateOf = (packet: MemoryPacket): MemoryFate => {
    const chosen = decide?.(packet);
    if (chosen) return chosen;
    if (networkOptions.loss && random() < networkOptions.loss) return 'drop';
    if (networkOptions.duplication && random() < networkOptions.duplication) return 'duplicate';
    return 'deliver';
  };

  const deliverDatagram = (to: Node, bytes: Buffer, flow: Flow): void => {
    if (!to.running) return;
    const message = parseWhole(bytes);
    if (message instanceof Error) to.inbound.invalid(bytes, message, flow);
    else to.inbound.message(message, bytes, flow);
  };

  const closeConnection = (id: string, reason: FlowCloseReason = 'peer'): void => {
    const connection = connections.get(id);
    if (!connection) return;
    connection.open = false;
    connections.delete(id);
    for (const side of connection.sides) {
      const flow: Flow = {
        protocol: connection.protocol,
        local: side.local,
        remote: side.remote,
        connectionId: id,
      };
      side.node.inbound.flowClosed({ flow, reason });
    }
  };

  const deliverStream = (connection: MemoryConnection, side: Side, bytes: Buffer): void => {
    if (!connection.open || !side.node.running) return;
    const flow: Flow = {
      protocol: connection.protocol,
      local: side.local,
      remote: side.remote,
      connectionId: connection.id,
    };
    let events;
    try {
      events = side.framer.push(bytes);
    } catch (error) {
      log.debug({ flow, err: error }, 'memory stream framing lost: closing the connection');
      closeConnection(connection.id, 'framing-lost');
      return;
    }
    for (const event of events) {
      if (event.type === 'message') side.node.inbound.message(event.message, event.bytes, flow);
      else if (event.type === 'invalid') side.node.inbound.invalid(event.bytes, event.error, flow);
    }
  };

  const openStream = (from: Node, target: SendTarget): MemoryConnection => {
    const to = listenerAt(target.protocol, target.address, target.port);
    if (!to) {
      throw new TransportError(
        TransportErrorCode.ConnectFailed,
        `nothing listens on ${describeTarget(target)}`,
        { target },
      );
    }
    const local: Endpoint = { address: from.bound[0]?.address ?? '127.0.0.1', port: nextPort++ };
    const remote: Endpoint = { address: target.address, port: target.port };
    const connection: MemoryConnection = {
      id: `mem-${nextConnection++}`,
      protocol: target.protocol,
      open: true,
      sides: [
        { node: from, local, remote, framer: createStreamFramer({}) },
        { node: to, local: remote, remote: local, framer: createStreamFramer({}) },
      ],
    };
    connections.set(connection.id, connection);
    return connection;
  };

  const streamFor = (from: Node, target: SendTarget): [MemoryConnection, Side, Side] => {
    const mine = (c: MemoryConnection): [MemoryConnection, Side, Side] | undefined => {
      const [a, b] = c.sides;
      if (!c.open || c.protocol !== target.protocol) return undefined;
      if (a.node === from) return [c, a, b];
      if (b.node === from) return [c, b, a];
      return undefined;
    };
    const byId =
      target.connectionId === undefined ? undefined : connections.get(target.connectionId);
    const pinned = byId && mine(byId);
    if (pinned) return pinned;
    for (const c of connections.values()) {
      const found = mine(c);
      if (
        found &&
        sameAddress(found[1].remote.address, target.address) &&
        found[1].remote.port === target.port
      )
        return found;
    }
    const opened = mine(openStream(from, target));
    if (!opened) throw new Error('unreachable: a new connection has the sender as a side');
    return opened;
  };

  const send = (from: Node, target: SendTarget, bytes: Buffer): Flow => {
    if (target.protocol !== 'udp') {
      const [connection, mine, theirs] = streamFor(from, target);
      const flow: Flow = {
        protocol: target.protocol,
        local: mine.local,
        remote: mine.remote,
        connectionId: connection.id,
      };
      packets.push({ flow, bytes });
      schedule(() => deliverStream(connection, theirs, bytes));
      return flow;
    }
    if (bytes.length > MAX_UDP_PAYLOAD) {
      throw new TransportError(
        TransportErrorCode.MessageTooLarge,
        `${bytes.length} bytes do not fit a UDP datagram`,
        { target },
      );
    }
    const listener = from.bound.find((b) => b.protocol === 'udp');
    if (!listener) {
      throw new TransportError(TransportErrorCode.NotListening, 'no UDP listener', { target });
    }
    const local: Endpoint = { address: listener.address, port: listener.port };
    const flow: Flow = {
      protocol: 'udp',
      local,
      remote: { address: target.address, port: target.port },
    };
    const packet = { flow, bytes };
    packets.push(packet);
    const fate = fateOf(packet);
    const to = listenerAt('udp', target.address, target.port);
    if (fate === 'drop' || !to) return flow;
    const inboundFlow: Flow = { protocol: 'udp', local: flow.remote, remote: local };
    const copies = fate === 'duplicate' ? 2 : 1;
    for (let i = 0; i < copies; i++) schedule(() => deliverDatagram(to, bytes, inboundFlow));
    return flow;
  };

  const createEndpoint = (listen: readonly ListenOptions[]): Transport => {
    let running = false;
    let stopped = false;
    const bound: BoundListen[] = [];
    const node: Node = {
      bound,
      get running() {
        return running;
      },
      inbound: createInboundDispatcher(log),
    };
    return {
      async start() {
        if (stopped) throw new TransportError(TransportErrorCode.NotListening, 'transport stopped');
        if (running) return;
        for (const l of listen) {
          const port = l.port === 0 ? nextPort++ : l.port;
          if (listenerAt(l.protocol, l.address, port)) {
            throw new TransportError(
              TransportErrorCode.ListenFailed,
              `${describeTarget({ ...l, port })} is taken`,
            );
          }
          bound.push({ ...l, port });
        }
        nodes.add(node);
        running = true;
      },
      async stop() {
        stopped = true;
        running = false;
        nodes.delete(node);
        for (const c of [...connections.values()]) {
          if (c.sides.some((s) => s.node === node)) closeConnection(c.id, 'stopped');
        }
      },
      listening: () => [...bound],
      async send(target, message) {
        if (!running) {
          throw new TransportError(
            TransportErrorCode.NotListening,
            `transport is not running: cannot send to ${describeTarget(target)}`,
            { target },
          );
        }
        const bytes = Buffer.isBuffer(message) ? message : serializeMessage(message);
        return send(node, target, bytes);
      },
      onMessage: node.inbound.onMessage,
      onInvalid: node.inbound.onInvalid,
      onFlowClosed: node.inbound.onFlowClosed,
    };
  };

  return {
    transport: (listen) => createEndpoint(isList(listen) ? listen : [listen]),
    intercept(next) {
      decide = next;
    },
    closeConnection: (id) => closeConnection(id),
    sent: () => [...packets],
    async settle() {
      while (inFlight > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}

function isList(
  listen: ListenOptions | readonly ListenOptions[],
): listen is readonly ListenOptions[] {
  return Array.isArray(listen);
}
