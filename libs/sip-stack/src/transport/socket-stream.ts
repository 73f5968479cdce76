// TCP and TLS (RFC 3261 §18, §26.2): listeners that accept connections, and connects.
import { connect as netConnect, createServer as createNetServer } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect, createServer as createTlsServer } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { closeServer, endpointsOf, listenServer, settleConnect, trackSockets } from './listener.js';
import type { Listener, PendingConnect, StreamContext } from './listener.js';
import { socketPipe } from './pipe.js';
import { clientTlsOptions, serverTlsOptions } from './tls-options.js';
import type { ListenOptions, SendTarget } from './types.js';

export async function listenSocketStream(
  listen: ListenOptions,
  context: StreamContext,
): Promise<Listener> {
  const { options } = context;
  const secure = listen.protocol === 'tls';
  const server = secure ? createTlsServer(serverTlsOptions(options.tls)) : createNetServer();
  const sockets = trackSockets(server, () => context.canAccept());
  const accept = (socket: Socket): void => {
    const ends = endpointsOf(socket);
    if (socket.destroyed || !ends) return;
    socket.setNoDelay(true);
    context.accept({ pipe: socketPipe(socket), ...ends });
  };
  if (secure) {
    server.on('secureConnection', (socket: TLSSocket) => accept(socket));
    server.on('tlsClientError', (error: Error, socket: TLSSocket) => {
      options.log.debug(
        { err: error, remote: { address: socket.remoteAddress, port: socket.remotePort } },
        'TLS handshake failed',
      );
    });
  } else {
    server.on('connection', accept);
  }
  const bound = await listenServer(server, listen);
  return { bound, close: () => closeServer(server, sockets) };
}

export function connectSocketStream(target: SendTarget, context: StreamContext): PendingConnect {
  const secure = target.protocol === 'tls';
  const socket: Socket = secure
    ? tlsConnect({
        host: target.address,
        port: target.port,
        ...clientTlsOptions(context.options.tls, target.serverName),
      })
    : netConnect({ host: target.address, port: target.port });
  const connect = settleConnect(target, () => socket.destroy());
  socket.once(secure ? 'secureConnect' : 'connect', () => {
    if (!connect.waiting()) return;
    const ends = endpointsOf(socket);
    if (!ends) {
      connect.failed(new Error('socket closed during connect'));
      return;
    }
    socket.setNoDelay(true);
    connect.opened({ pipe: socketPipe(socket), ...ends });
  });
  socket.on('error', (error) => connect.failed(error));
  return connect.pending;
}
