// createTransport(): UDP, TCP, TLS and WebSocket listeners behind one Transport, with stream
// connections reused by id or destination, opened on demand, and all closed by stop().
import { randomBytes } from 'node:crypto';
import { serializeMessage } from '@sipwake/sip-parser';
import type { SipMessage } from '@sipwake/sip-parser';
import { addressFamily } from './address.js';
import { openConnection } from './connection.js';
import type { Connection } from './connection.js';
import { ConnectionTable, destinationKey } from './connection-table.js';
import { describeTarget, TransportError, TransportErrorCode } from './errors.js';
import { createInboundDispatcher } from './inbound.js';
import type {
  BoundListen,
  Listener,
  OpenedPipe,
  PendingConnect,
  StreamContext,
} from './listener.js';
import { resolveTransportOptions } from './options.js';
import type { TransportOptions } from './options.js';
import { connectSocketStream, listenSocketStream } from './socket-stream.js';
import type { Flow, SendTarget, Transport, TransportProtocol } from './types.js';
import { listenUdp } from './udp.js';
import type { UdpListener } from './udp.js';
import { connectWebSocket, listenWebSocket } from './websocket.js';

type State = 'new' | 'starting' | 'started' | 'stopped';

export function createTransport(transportOptions: TransportOptions): Transport {
  const options = resolveTransportOptions(transportOptions);
  const { clock, log } = options;
  const inbound = createInboundDispatcher(log);
  const table = new ConnectionTable();
  const pendingConnects = new Map<string, Promise<Connection>>();
  const connectsInFlight = new Set<PendingConnect>();
  const udpListeners: UdpListener[] = [];
  const streamListeners: Listener[] = [];
  const bound: BoundListen[] = [];
  const idPrefix = randomBytes(4).toString('hex');
  let nextId = 1;
  let state: State = 'new';
  let starting: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;

  const adopt = (
    protocol: TransportProtocol,
    opened: OpenedPipe,
    outbound: boolean,
    serverName?: string,
  ): Connection => {
    const connection = openConnection({
      id: `${protocol}-${idPrefix}-${nextId++}`,
      protocol,
      ...opened,
      outbound,
      ...(serverName === undefined ? {} : { serverName }),
      options,
      inbound,
      onClosing: (c, reason) => {
        table.remove(c);
        inbound.flowClosed({ flow: c.flow, reason });
      },
    });
    // A pipe that closed before it was adopted has already reported its close.
    if (connection.isOpen) table.add(connection);
    return connection;
  };

  const streamContext = (protocol: TransportProtocol): StreamContext => ({
    options,
    canAccept: () =>
      state === 'started' && table.size + connectsInFlight.size < options.maxConnections,
    accept: (opened) => {
      if (state === 'started') adopt(protocol, opened, false);
      else opened.pipe.destroy();
    },
  });

  const listen = async (): Promise<void> => {
    for (const l of options.listen) {
      if (l.protocol === 'udp') {
        const udp = await listenUdp(l, options, inbound);
        udpListeners.push(udp);
        bound.push(udp.bound);
        continue;
      }
      const stream =
        l.protocol === 'tcp' || l.protocol === 'tls'
          ? await listenSocketStream(l, streamContext(l.protocol))
          : await listenWebSocket(l, streamContext(l.protocol));
      streamListeners.push(stream);
      bound.push(stream.bound);
    }
  };

  const closeEverything = async (): Promise<void> => {
    for (const pending of connectsInFlight) {
      pending.abort(new TransportError(TransportErrorCode.NotListening, 'transport stopped'));
    }
    const connections = table.all();
    for (const connection of connections) connection.close('stopped');
    bound.length = 0;
    await Promise.all([
      ...udpListeners.splice(0).map((l) => l.close()),
      ...streamListeners.splice(0).map((l) => l.close()),
      ...connections.map((c) => c.closed),
    ]);
  };

  const connect = async (target: SendTarget): Promise<Connection> => {
    if (table.size + connectsInFlight.size >= options.maxConnections) {
      throw new TransportError(
        TransportErrorCode.ConnectionLimit,
        `${options.maxConnections} connections open: not connecting to ${describeTarget(target)}`,
        { target },
      );
    }
    const context = streamContext(target.protocol);
    const pending =
      target.protocol === 'ws' || target.protocol === 'wss'
        ? connectWebSocket(target, context)
        : connectSocketStream(target, context);
    connectsInFlight.add(pending);
    const timer = clock.setTimeout(() => {
      pending.abort(
        new TransportError(
          TransportErrorCode.ConnectTimeout,
          `no connection to ${describeTarget(target)} within ${options.connectTimeoutMs} ms`,
          { target },
        ),
      );
    }, options.connectTimeoutMs);
    try {
      const opened = await pending.result;
      if (state !== 'started') {
        opened.pipe.destroy();
        throw new TransportError(TransportErrorCode.NotListening, 'transport stopped', { target });
      }
      log.debug({ target, local: opened.local }, 'connection opened');
      const checkedName = isSecure(target.protocol) ? target.serverName : undefined;
      return adopt(target.protocol, opened, true, checkedName);
    } finally {
      clock.clearTimeout(timer);
      connectsInFlight.delete(pending);
    }
  };

  /**
   * An open connection for the target: by id, then by destination, else a new one (one connect
   * per destination at a time). A target naming a TLS server reuses only a connection whose
   * certificate was checked against that name.
   */
  const connectionFor = (target: SendTarget): Promise<Connection> => {
    const checkedName = isSecure(target.protocol) ? target.serverName : undefined;
    const fits = (c: Connection): boolean =>
      c.flow.protocol === target.protocol &&
      (checkedName === undefined || c.serverName === checkedName);
    const byId =
      target.connectionId === undefined ? undefined : table.byConnectionId(target.connectionId);
    const existing = byId && fits(byId) ? byId : table.to(target, fits);
    if (existing) return Promise.resolve(existing);
    const key = `${destinationKey(target)}|${checkedName ?? ''}`;
    let pending = pendingConnects.get(key);
    if (!pending) {
      pending = connect(target).finally(() => pendingConnects.delete(key));
      pendingConnects.set(key, pending);
    }
    return pending;
  };

  const sendUdp = (target: SendTarget, bytes: Buffer): Promise<Flow> => {
    const family = addressFamily(target.address) === 6 ? 6 : 4;
    const listener =
      udpListeners.find((l) => l.family === family) ??
      // A dual-stack `::` socket also reaches IPv4.
      udpListeners.find((l) => family === 4 && l.family === 6 && l.bound.address === '::');
    if (!listener) {
      throw new TransportError(
        TransportErrorCode.NotListening,
        `no UDP listener for IPv${family}: cannot send to ${describeTarget(target)}`,
        { target },
      );
    }
    return listener.send(target, bytes);
  };

  const sendStream = async (target: SendTarget, bytes: Buffer): Promise<Flow> => {
    const connection = await connectionFor(target);
    try {
      await connection.send(bytes);
    } catch (error) {
      throw new TransportError(
        TransportErrorCode.ConnectionClosed,
        `connection ${connection.id} to ${describeTarget(target)} closed before the message was written`,
        { target, cause: error },
      );
    }
    return connection.flow;
  };

  return {
    start() {
      if (state === 'stopped') {
        return Promise.reject(
          new TransportError(TransportErrorCode.NotListening, 'transport stopped'),
        );
      }
      starting ??= (async () => {
        state = 'starting';
        try {
          await listen();
        } catch (error) {
          state = 'stopped';
          await closeEverything();
          throw error;
        }
        if (state === 'starting') state = 'started';
      })();
      return starting;
    },

    stop() {
      stopping ??= (async () => {
        await starting?.catch(() => undefined);
        state = 'stopped';
        await closeEverything();
      })();
      return stopping;
    },

    listening: () => [...bound],

    async send(target: SendTarget, message: SipMessage | Buffer): Promise<Flow> {
      if (state !== 'started') {
        throw new TransportError(
          TransportErrorCode.NotListening,
          `transport is ${state}: cannot send to ${describeTarget(target)}`,
          { target },
        );
      }
      const bytes = Buffer.isBuffer(message) ? message : serializeMessage(message);
      return target.protocol === 'udp' ? sendUdp(target, bytes) : sendStream(target, bytes);
    },

    onMessage: inbound.onMessage,
    onInvalid: inbound.onInvalid,
    onFlowClosed: inbound.onFlowClosed,
  };
}

function isSecure(protocol: TransportProtocol): boolean {
  return protocol === 'tls' || protocol === 'wss';
}
