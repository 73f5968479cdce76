// UDP (RFC 3261 §18): one socket per listener, used both to receive and to send, so that
// replies to what we send come back to the listening port.
import { createSocket } from 'node:dgram';
import type { RemoteInfo, Socket } from 'node:dgram';
import { addressFamily, unmapIPv4 } from './address.js';
import { describeTarget, TransportError, TransportErrorCode } from './errors.js';
import { parseWhole, type InboundDispatcher } from './inbound.js';
import type { BoundListen } from './listener.js';
import type { ResolvedTransportOptions } from './options.js';
import type { Endpoint, Flow, ListenOptions, SendTarget } from './types.js';

/** The largest UDP payload over IPv4: 65,535 − 8 (UDP header) − 20 (IP header). */
export const MAX_UDP_PAYLOAD = 65_507;

export interface UdpListener {
  readonly bound: BoundListen;
  readonly family: 4 | 6;
  send(target: SendTarget, bytes: Buffer): Promise<Flow>;
  close(): Promise<void>;
}

/**
 * A request start line: `METHOD uri SIP/x.y` (a message worth a 400 even when its headers fail,
 * or a 505 for another version).
 */
const REQUEST_LINE = /^[A-Za-z!%*_+`'~.-]+ \S+ SIP\/\d+\.\d+\r?\n/;
/** Keep-alives some clients send on UDP (CRLF, CRLFCRLF, NUL bytes): nothing to parse. */
const KEEP_ALIVE = /^[\r\n\0 ]*$/;

export async function listenUdp(
  listen: ListenOptions,
  options: ResolvedTransportOptions,
  inbound: InboundDispatcher,
): Promise<UdpListener> {
  const family = addressFamily(listen.address) === 6 ? 6 : 4;
  const socket = createSocket({
    type: family === 6 ? 'udp6' : 'udp4',
    ...(options.udpReceiveBufferBytes === undefined
      ? {}
      : { recvBufferSize: options.udpReceiveBufferBytes }),
  });
  const bound = await bind(socket, listen);
  const local: Endpoint = { address: bound.address, port: bound.port };

  socket.on('message', (bytes: Buffer, rinfo: RemoteInfo) => {
    const flow: Flow = {
      protocol: 'udp',
      local,
      remote: { address: unmapIPv4(rinfo.address), port: rinfo.port },
    };
    receive(bytes, flow, options, inbound);
  });
  socket.on('error', (error) => options.log.warn({ err: error, local }, 'UDP socket error'));

  return {
    bound,
    family,
    async send(target, bytes) {
      if (bytes.length > MAX_UDP_PAYLOAD) {
        throw new TransportError(
          TransportErrorCode.MessageTooLarge,
          `${bytes.length} bytes do not fit a UDP datagram (at most ${MAX_UDP_PAYLOAD})`,
          { target },
        );
      }
      // A dual-stack IPv6 socket reaches IPv4 destinations by their mapped address.
      const address =
        family === 6 && addressFamily(target.address) === 4
          ? `::ffff:${target.address}`
          : target.address;
      await new Promise<void>((resolve, reject) => {
        socket.send(bytes, target.port, address, (error) => {
          if (!error) resolve();
          else {
            reject(
              new TransportError(
                TransportErrorCode.SendFailed,
                `cannot send to ${describeTarget(target)}: ${error.message}`,
                { target, cause: error },
              ),
            );
          }
        });
      });
      return { protocol: 'udp', local, remote: { address: target.address, port: target.port } };
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function receive(
  bytes: Buffer,
  flow: Flow,
  options: ResolvedTransportOptions,
  inbound: InboundDispatcher,
): void {
  if (bytes.length > options.maxMessageBytes) {
    options.log.debug({ flow, bytes: bytes.length }, 'datagram exceeds maxMessageBytes: dropped');
    return;
  }
  if (KEEP_ALIVE.test(bytes.toString('latin1'))) return;
  // RFC 3261 §18.3: in a datagram the datagram bounds the message.
  const message = parseWhole(bytes, options.maxMessageBytes);
  if (!(message instanceof Error)) {
    inbound.message(message, bytes, flow);
  } else if (REQUEST_LINE.test(bytes.subarray(0, 512).toString('latin1'))) {
    inbound.invalid(bytes, message, flow);
  } else {
    options.log.debug({ flow, err: message }, 'unparseable datagram dropped');
  }
}

function bind(socket: Socket, listen: ListenOptions): Promise<BoundListen> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      socket.close();
      reject(
        new TransportError(
          TransportErrorCode.ListenFailed,
          `cannot bind udp ${listen.address}:${listen.port}`,
          { cause: error },
        ),
      );
    };
    socket.once('error', onError);
    socket.bind({ address: listen.address, port: listen.port }, () => {
      socket.off('error', onError);
      resolve({ ...listen, port: socket.address().port });
    });
  });
}
