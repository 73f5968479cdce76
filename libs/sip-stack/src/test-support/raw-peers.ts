// Plain TCP peers for transport tests: a server that counts the connections it accepts and a
// reader that waits until the bytes received so far satisfy a condition.
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

export interface ByteReader {
  /** Everything received so far, as latin1 text. */
  text(): string;
  /** Resolves once text() matches (checked at once and on every chunk). */
  waitFor(condition: string | RegExp | ((text: string) => boolean)): Promise<string>;
  /** Resolves when the socket closes. */
  readonly closed: Promise<void>;
}

export function readBytes(socket: Socket): ByteReader {
  let text = '';
  const waiters: { test: (t: string) => boolean; resolve: (t: string) => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      if (w.test(text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(text);
      }
    }
  };
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    check();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  return {
    text: () => text,
    waitFor(condition) {
      const test =
        typeof condition === 'string'
          ? (t: string) => t.includes(condition)
          : condition instanceof RegExp
            ? (t: string) => condition.test(t)
            : condition;
      return new Promise((resolve) => {
        waiters.push({ test, resolve });
        check();
      });
    },
    closed,
  };
}

export interface RawServer {
  readonly port: number;
  /** Accepted connections, in order, each with its reader. */
  readonly accepted: readonly { socket: Socket; reader: ByteReader }[];
  /** Resolves with the n-th accepted connection (1-based). */
  connection(n: number): Promise<{ socket: Socket; reader: ByteReader }>;
  close(): Promise<void>;
}

export async function rawServer(address: string): Promise<RawServer> {
  const accepted: { socket: Socket; reader: ByteReader }[] = [];
  const waiters: { n: number; resolve: (c: { socket: Socket; reader: ByteReader }) => void }[] = [];
  const server: Server = createServer((socket) => {
    accepted.push({ socket, reader: readBytes(socket) });
    for (const w of [...waiters]) {
      const c = accepted[w.n - 1];
      if (c) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(c);
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    accepted,
    connection(n) {
      const c = accepted[n - 1];
      if (c) return Promise.resolve(c);
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const { socket } of accepted) socket.destroy();
      }),
  };
}

/** A plain TCP client, connected. */
export async function rawClient(
  address: string,
  port: number,
): Promise<{ socket: Socket; reader: ByteReader }> {
  const socket = connect({ host: address, port });
  const reader = readBytes(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.setNoDelay(true);
  return { socket, reader };
}
