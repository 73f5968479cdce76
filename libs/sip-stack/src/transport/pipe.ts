// The byte pipe under a connection: a TCP/TLS socket (a stream to frame) or a WebSocket (one
// SIP message per WebSocket message, RFC 7118 §5.2). The connection sees only this interface.
import { isUtf8 } from 'node:buffer';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

export interface PipeReceiver {
  /** Stream bytes (socket) or one whole message (WebSocket). */
  data(chunk: Buffer): void;
  /** A WebSocket pong frame: the answer to our keep-alive ping. */
  pong(): void;
  /** Traffic that carries no SIP (a WebSocket ping frame). */
  activity(): void;
  /** The pipe is closed for good; `error` when it failed, `tooLarge` when a message exceeded the bound. */
  closed(error: Error | undefined, tooLarge: boolean): void;
}

export interface Pipe {
  readonly framing: 'stream' | 'message';
  /** Starts delivering; what arrived before is delivered first. */
  attach(receiver: PipeReceiver): void;
  write(bytes: Buffer): Promise<void>;
  /** RFC 5626 §4.4.1 keep-alive: CRLFCRLF on a stream, a ping frame on a WebSocket (RFC 6455 §5.5.2). */
  ping(): void;
  /** RFC 5626 §4.4.1: "the server responds with a single CRLF" to a CRLFCRLF ping. */
  pong(): void;
  /** Closes at once; `closed` follows. */
  destroy(): void;
}

const CRLF = Buffer.from('\r\n');
/** The error code ws gives a message larger than maxPayload. */
const WS_TOO_BIG = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
const CRLFCRLF = Buffer.from('\r\n\r\n');

/** Holds what a pipe reports until a receiver is attached. */
function createMailbox(): {
  receiver: PipeReceiver;
  attach(r: PipeReceiver): void;
} {
  let target: PipeReceiver | undefined;
  const queued: ((r: PipeReceiver) => void)[] = [];
  const deliver = (f: (r: PipeReceiver) => void): void => {
    if (target) f(target);
    else queued.push(f);
  };
  return {
    receiver: {
      data: (chunk) => deliver((r) => r.data(chunk)),
      pong: () => deliver((r) => r.pong()),
      activity: () => deliver((r) => r.activity()),
      closed: (error, tooLarge) => deliver((r) => r.closed(error, tooLarge)),
    },
    attach(r) {
      target = r;
      for (const f of queued.splice(0)) f(r);
    },
  };
}

/** A TCP socket or a TLS socket (after its handshake). */
export function socketPipe(socket: Socket): Pipe {
  const mailbox = createMailbox();
  let failure: Error | undefined;
  socket.on('data', (chunk: Buffer) => mailbox.receiver.data(chunk));
  socket.on('error', (error) => {
    failure = error;
  });
  socket.on('close', () => mailbox.receiver.closed(failure, false));
  const write = (bytes: Buffer): Promise<void> =>
    new Promise((resolve, reject) => {
      if (socket.destroyed || !socket.writable) {
        reject(new Error('socket is closed'));
        return;
      }
      socket.write(bytes, (error) => (error ? reject(error) : resolve()));
    });
  const quietly = (bytes: Buffer): void => {
    write(bytes).catch(() => undefined);
  };
  return {
    framing: 'stream',
    attach: mailbox.attach,
    write,
    ping: () => quietly(CRLFCRLF),
    pong: () => quietly(CRLF),
    destroy: () => socket.destroy(),
  };
}

/** A WebSocket after its opening handshake, with the `sip` subprotocol agreed. */
export function webSocketPipe(ws: WebSocket): Pipe {
  const mailbox = createMailbox();
  let failure: Error | undefined;
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    const bytes = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(data);
    mailbox.receiver.data(bytes);
  });
  ws.on('pong', () => mailbox.receiver.pong());
  ws.on('ping', () => mailbox.receiver.activity());
  ws.on('error', (error) => {
    failure = error;
  });
  // ws closes with 1009 itself when a message exceeds maxPayload (RFC 6455 §7.4.1).
  ws.on('close', () =>
    mailbox.receiver.closed(
      failure,
      (failure as { code?: string } | undefined)?.code === WS_TOO_BIG,
    ),
  );
  const write = (bytes: Buffer): Promise<void> =>
    new Promise((resolve, reject) => {
      if (ws.readyState !== ws.OPEN) {
        reject(new Error('WebSocket is not open'));
        return;
      }
      // RFC 7118 §5.2 lets SIP travel in text or binary frames: text when it is UTF-8.
      ws.send(bytes, { binary: !isUtf8(bytes) }, (error) => (error ? reject(error) : resolve()));
    });
  return {
    framing: 'message',
    attach: mailbox.attach,
    write,
    ping: () => {
      if (ws.readyState === ws.OPEN) ws.ping();
    },
    pong: () => {
      write(CRLF).catch(() => undefined);
    },
    destroy: () => ws.terminate(),
  };
}
