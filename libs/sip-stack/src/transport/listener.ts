// What the stream listeners (TCP, TLS, WebSocket) share: the server life cycle, raw socket
// tracking (so that stop() leaves nothing open), the endpoints of a socket, and how a connect
// settles.
import type { Server, Socket } from 'node:net';
import { unmapIPv4 } from './address.js';
import { describeTarget, TransportError, TransportErrorCode } from './errors.js';
import type { ResolvedTransportOptions } from './options.js';
import type { Pipe } from './pipe.js';
import type { Endpoint, ListenOptions, SendTarget } from './types.js';

export type BoundListen = ListenOptions & { readonly port: number };

/** A pipe ready to become a connection, with its two ends. */
export interface OpenedPipe {
  readonly pipe: Pipe;
  readonly local: Endpoint;
  readonly remote: Endpoint;
}

export interface Listener {
  readonly bound: BoundListen;
  /** Stops accepting and destroys every socket it accepted. */
  close(): Promise<void>;
}

/** A connect in progress: `abort` destroys the socket and rejects `result` with the error given. */
export interface PendingConnect {
  readonly result: Promise<OpenedPipe>;
  abort(error: TransportError): void;
}

/** The two ways a connect ends; the first call wins, later ones do nothing. */
export interface ConnectSettlement {
  readonly pending: PendingConnect;
  /** Whether the connect still waits for its outcome. */
  waiting(): boolean;
  opened(opened: OpenedPipe): void;
  /** Rejects with CONNECT_FAILED naming the target, and closes the socket. */
  failed(cause: Error): void;
}

/** The settling of a connect to `target`; `destroy` closes its socket on failure or abort. */
export function settleConnect(target: SendTarget, destroy: () => void): ConnectSettlement {
  let settle: { resolve(o: OpenedPipe): void; reject(e: TransportError): void } | undefined;
  const result = new Promise<OpenedPipe>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const abort = (error: TransportError): void => {
    settle?.reject(error);
    settle = undefined;
    destroy();
  };
  return {
    pending: { result, abort },
    waiting: () => settle !== undefined,
    opened(opened) {
      settle?.resolve(opened);
      settle = undefined;
    },
    failed(cause) {
      if (!settle) return;
      abort(
        new TransportError(
          TransportErrorCode.ConnectFailed,
          `cannot connect to ${describeTarget(target)}: ${cause.message}`,
          { target, cause },
        ),
      );
    },
  };
}

export interface StreamContext {
  readonly options: ResolvedTransportOptions;
  /** Whether one more connection may be accepted (the connection cap). */
  canAccept(): boolean;
  accept(opened: OpenedPipe): void;
}

export function endpointsOf(socket: Socket): { local: Endpoint; remote: Endpoint } | undefined {
  const { localAddress, localPort, remoteAddress, remotePort } = socket;
  if (!localAddress || !remoteAddress || localPort === undefined || remotePort === undefined) {
    return undefined;
  }
  return {
    local: { address: unmapIPv4(localAddress), port: localPort },
    remote: { address: unmapIPv4(remoteAddress), port: remotePort },
  };
}

/** Counts raw sockets against the cap and remembers them until they close. */
export function trackSockets(server: Server, canAccept: () => boolean): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    if (!canAccept()) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

export function listenServer(server: Server, listen: ListenOptions): Promise<BoundListen> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(
        new TransportError(
          TransportErrorCode.ListenFailed,
          `cannot listen on ${listen.protocol} ${listen.address}:${listen.port}`,
          { cause: error },
        ),
      );
    };
    server.once('error', onError);
    server.listen({ host: listen.address, port: listen.port }, () => {
      server.off('error', onError);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : listen.port;
      resolve({ ...listen, port });
    });
  });
}

export function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const socket of sockets) socket.destroy();
  });
}
