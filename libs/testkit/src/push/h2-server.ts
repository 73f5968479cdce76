// The plumbing both local push providers share: an HTTP/2 TLS server on 127.0.0.1 with a fresh
// self-signed certificate, request bodies read with a bound, sessions counted (how many
// connections clients opened, how many streams ran at once on one), GOAWAY on demand, and a stop
// that closes every session.
import http2 from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { makeSelfSignedCert } from '../tls.js';

export interface H2Request {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface H2Answer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface H2ServerStats {
  /** Connections (HTTP/2 sessions or HTTP/1.1 sockets) accepted so far. */
  sessions(): number;
  /** The most streams open at once on one session. */
  maxConcurrentStreams(): number;
}

export interface H2Server extends H2ServerStats {
  readonly port: number;
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  /** The certificate clients must trust (`ca`). */
  readonly ca: string;
  /** Sends GOAWAY on every open session (clients must reconnect for the next request). */
  goAway(): void;
  close(): Promise<void>;
}

export interface H2ServerOptions {
  /** Also answer HTTP/1.1 over TLS (ALPN), as Google's endpoints do. */
  readonly allowHttp1?: boolean;
  /** Bodies larger than this are cut off and answered 413 by the caller's handler. */
  readonly maxBodyBytes?: number;
}

function headerRecord(headers: http2.IncomingHttpHeaders): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    record[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return record;
}

export async function startH2Server(
  handle: (request: H2Request) => H2Answer,
  options: H2ServerOptions = {},
): Promise<H2Server> {
  const { certPem, keyPem } = await makeSelfSignedCert();
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const server = http2.createSecureServer({
    key: keyPem,
    cert: certPem,
    allowHTTP1: options.allowHttp1 ?? false,
    settings: { maxConcurrentStreams: 1000 },
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  const sockets = new Set<Socket>();
  let sessionCount = 0;
  let maxStreams = 0;
  const openStreams = new Map<object, number>();

  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => undefined);
  });
  server.on('secureConnection', (socket) => {
    sessionCount += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  server.on('request', (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    const owner: object = req.stream?.session ?? req.socket;
    const open = (openStreams.get(owner) ?? 0) + 1;
    openStreams.set(owner, open);
    maxStreams = Math.max(maxStreams, open);
    res.on('close', () => {
      const left = (openStreams.get(owner) ?? 1) - 1;
      if (left <= 0) openStreams.delete(owner);
      else openStreams.set(owner, left);
    });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      let answer: H2Answer;
      try {
        answer = handle({
          method: req.method,
          path: req.url,
          headers: headerRecord(req.headers),
          body: Buffer.concat(chunks),
        });
      } catch (error) {
        answer = { status: 500, body: JSON.stringify({ reason: String(error) }) };
      }
      if (res.destroyed || res.writableEnded) return;
      res.writeHead(answer.status, { ...answer.headers });
      res.end(answer.body ?? '');
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;

  return {
    port,
    url: `https://127.0.0.1:${port}`,
    ca: certPem,
    sessions: () => sessionCount,
    maxConcurrentStreams: () => maxStreams,
    goAway() {
      for (const session of sessions) {
        session.goaway(http2.constants.NGHTTP2_NO_ERROR);
        session.close();
      }
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
