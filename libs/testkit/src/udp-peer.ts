// A raw UDP socket on loopback for tests that speak SIP by hand to a real peer: datagrams are
// queued as they arrive and a test takes the next one that matches, with a bound.
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { WaitTimeoutError } from './errors.js';

export interface Datagram {
  readonly data: Buffer;
  /** The datagram as UTF-8 text. */
  readonly text: string;
  readonly from: { readonly address: string; readonly port: number };
}

export interface NextOptions {
  readonly timeoutMs: number;
  /** Take the first queued or arriving datagram this accepts (default: any). */
  readonly match?: (datagram: Datagram) => boolean;
  readonly what?: string;
}

export interface UdpPeer {
  readonly address: string;
  readonly port: number;
  send(data: string | Buffer, port: number, address?: string): Promise<void>;
  /** Removes and returns the first matching datagram, waiting for one up to `timeoutMs`. */
  next(options: NextOptions): Promise<Datagram>;
  /** Datagrams received and not yet taken. */
  pending(): readonly Datagram[];
  /** Calls `handler` for every datagram from now on (they are still queued for next()). */
  onDatagram(handler: (datagram: Datagram) => void): void;
  close(): Promise<void>;
}

export interface UdpPeerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (any free port). */
  readonly port?: number;
}

export async function createUdpPeer(options: UdpPeerOptions = {}): Promise<UdpPeer> {
  const host = options.host ?? '127.0.0.1';
  const socket = dgram.createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port: options.port ?? 0, address: host }, () => {
      socket.off('error', reject);
      resolve();
    });
  });

  const port = socket.address().port;
  const queue: Datagram[] = [];
  const waiters = new Set<{ match: (d: Datagram) => boolean; take: (d: Datagram) => void }>();
  const handlers: ((datagram: Datagram) => void)[] = [];
  let closed = false;

  socket.on('message', (data, rinfo) => {
    const datagram: Datagram = {
      data,
      text: data.toString('utf8'),
      from: { address: rinfo.address, port: rinfo.port },
    };
    for (const handler of handlers) handler(datagram);
    for (const waiter of waiters) {
      if (waiter.match(datagram)) {
        waiter.take(datagram);
        return;
      }
    }
    queue.push(datagram);
  });

  return {
    address: host,
    port,
    send(data, toPort, address = host) {
      return new Promise((resolve, reject) => {
        socket.send(
          typeof data === 'string' ? Buffer.from(data) : data,
          toPort,
          address,
          (error) => (error ? reject(error) : resolve()),
        );
      });
    },
    next({ timeoutMs, match = () => true, what = 'a UDP datagram' }) {
      const index = queue.findIndex(match);
      if (index >= 0) return Promise.resolve(queue.splice(index, 1)[0]!);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          take: (datagram: Datagram) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(datagram);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new WaitTimeoutError(`${what} on udp:${host}:${port}`, timeoutMs));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    pending: () => [...queue],
    onDatagram(handler) {
      handlers.push(handler);
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      return new Promise((resolve) => socket.close(() => resolve()));
    },
  };
}
