// One HTTP/2 connection per provider origin, shared by every push: APNs takes ~1,000
// concurrent streams on one connection and asks providers to keep it open rather than open one
// per push. The session is made on first use and again after the provider sends GOAWAY or the
// connection closes; a stream that gets no answer within `timeoutMs` is cancelled.
import http2 from 'node:http2';
import { PushError, PushErrorCode } from './errors.js';

export interface H2Request {
  readonly method: 'POST' | 'GET';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  readonly timeoutMs: number;
}

export interface H2Response {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface H2Origin {
  request(request: H2Request): Promise<H2Response>;
  /** Connections opened so far (1 while the first one lives). */
  connections(): number;
  /** Closes the connection; later requests open a new one. */
  close(): Promise<void>;
}

export interface H2OriginOptions {
  /** `https://host[:port]`: only the origin is used. */
  readonly url: string;
  /** Trusted CA certificates (PEM) instead of the system's. */
  readonly ca?: string;
  /** Largest answer body kept (provider answers are small). */
  readonly maxBodyBytes?: number;
  readonly onEvent?: (event: 'connect' | 'goaway' | 'error', detail?: string) => void;
}

function unreachable(origin: string, why: string, cause?: unknown): PushError {
  return new PushError(PushErrorCode.ProviderUnreachable, `${origin}: ${why}`, { cause });
}

function flatHeaders(headers: http2.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !name.startsWith(':')) {
      out[name] = Array.isArray(value) ? value.join(', ') : String(value);
    }
  }
  return out;
}

export function createH2Origin(options: H2OriginOptions): H2Origin {
  const origin = new URL(options.url).origin;
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  let session: http2.ClientHttp2Session | undefined;
  let opened = 0;

  const live = (): http2.ClientHttp2Session => {
    if (session !== undefined && !session.closed && !session.destroyed) return session;
    const fresh = http2.connect(origin, options.ca === undefined ? {} : { ca: options.ca });
    opened += 1;
    const forget = (): void => {
      if (session === fresh) session = undefined;
    };
    fresh.on('connect', () => options.onEvent?.('connect'));
    fresh.on('goaway', (code: number) => {
      forget();
      options.onEvent?.('goaway', String(code));
    });
    fresh.on('close', forget);
    fresh.on('error', (error: Error) => {
      forget();
      options.onEvent?.('error', (error as { code?: string }).code ?? error.name);
    });
    session = fresh;
    return fresh;
  };

  return {
    request(request) {
      return new Promise<H2Response>((resolve, reject) => {
        let settled = false;
        const fail = (why: string, cause?: unknown): void => {
          if (settled) return;
          settled = true;
          reject(unreachable(origin, why, cause));
        };
        let stream: http2.ClientHttp2Stream;
        try {
          stream = live().request({
            ':method': request.method,
            ':path': request.path,
            ...request.headers,
          });
        } catch (cause) {
          session = undefined;
          fail('cannot open a stream', cause);
          return;
        }
        let status = 0;
        let headers: Record<string, string> = {};
        const chunks: Buffer[] = [];
        let size = 0;
        stream.setTimeout(request.timeoutMs, () => {
          fail(`no answer within ${request.timeoutMs} ms`);
          stream.close(http2.constants.NGHTTP2_CANCEL);
        });
        stream.on('response', (h) => {
          status = Number(h[':status']);
          headers = flatHeaders(h);
        });
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= maxBodyBytes) chunks.push(chunk);
        });
        stream.on('end', () => {
          if (settled) return;
          settled = true;
          resolve({ status, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        stream.on('error', (cause: Error) => {
          fail(`stream failed (${(cause as { code?: string }).code ?? cause.name})`, cause);
        });
        // Closed without a whole answer (session gone, stream refused or reset).
        stream.on('close', () => fail('stream closed without an answer'));
        stream.end(request.body);
      });
    },
    connections: () => opened,
    close() {
      const current = session;
      session = undefined;
      if (current === undefined || current.closed || current.destroyed) return Promise.resolve();
      return new Promise<void>((resolve) => current.close(() => resolve()));
    },
  };
}
