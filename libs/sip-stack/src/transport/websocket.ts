// SIP over WebSocket (RFC 7118): `ws` and `wss` listeners and connects, subprotocol `sip`.
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { bracketIPv6 } from './address.js';
import { closeServer, endpointsOf, listenServer, settleConnect, trackSockets } from './listener.js';
import type { Listener, PendingConnect, StreamContext } from './listener.js';
import { webSocketPipe } from './pipe.js';
import { clientTlsOptions, serverTlsOptions } from './tls-options.js';
import type { ListenOptions, SendTarget } from './types.js';

/** RFC 7118 §4.1: the WebSocket subprotocol of SIP. */
export const SIP_SUBPROTOCOL = 'sip';

function offersSip(request: IncomingMessage): boolean {
  const header = request.headers['sec-websocket-protocol'] ?? '';
  return header.split(',').some((p) => p.trim() === SIP_SUBPROTOCOL);
}

export async function listenWebSocket(
  listen: ListenOptions,
  context: StreamContext,
): Promise<Listener> {
  const { options } = context;
  const server =
    listen.protocol === 'wss'
      ? createHttpsServer(serverTlsOptions(options.tls))
      : createHttpServer();
  const sockets = trackSockets(server, () => context.canAccept());
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: options.maxMessageBytes,
    perMessageDeflate: false,
    handleProtocols: (offered: Set<string>) =>
      offered.has(SIP_SUBPROTOCOL) ? SIP_SUBPROTOCOL : false,
  });
  server.on('request', (_request, response) => {
    response.writeHead(426, { Connection: 'close', Upgrade: 'websocket' }).end();
  });
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    // RFC 7118 §4.1: the client offers `sip` in Sec-WebSocket-Protocol and the server answers
    // with it; a handshake without it is not SIP over WebSocket and is refused.
    if (!offersSip(request)) {
      options.log.debug(
        { remote: socket.remoteAddress },
        'WebSocket without subprotocol sip refused',
      );
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const ends = endpointsOf(socket);
    if (!ends) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      context.accept({ pipe: webSocketPipe(ws), ...ends });
    });
  });
  const bound = await listenServer(server, listen);
  return {
    bound,
    close: async () => {
      wss.close();
      await closeServer(server, sockets);
    },
  };
}

export function connectWebSocket(target: SendTarget, context: StreamContext): PendingConnect {
  const { options } = context;
  const url = `${target.protocol}://${bracketIPv6(target.address)}:${target.port}/`;
  const ws = new WebSocket(url, [SIP_SUBPROTOCOL], {
    maxPayload: options.maxMessageBytes,
    perMessageDeflate: false,
    ...(target.protocol === 'wss' ? clientTlsOptions(options.tls, target.serverName) : {}),
  });
  const connect = settleConnect(target, () => ws.terminate());
  let ends: ReturnType<typeof endpointsOf>;
  ws.once('upgrade', (response: IncomingMessage) => {
    ends = endpointsOf(response.socket);
  });
  ws.once('open', () => {
    if (!connect.waiting()) return;
    if (!ends || ws.protocol !== SIP_SUBPROTOCOL) {
      connect.failed(new Error(`subprotocol ${ws.protocol || '(none)'} instead of sip`));
      return;
    }
    connect.opened({ pipe: webSocketPipe(ws), ...ends });
  });
  ws.on('error', (error) => connect.failed(error));
  return connect.pending;
}
