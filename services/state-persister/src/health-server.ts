// The persister's own small HTTP server: `/healthz` (the process answers), `/readyz` (PostgreSQL
// and the bus answer: 200, or 503 naming what is down) and `/metrics` (the telemetry Prometheus
// handler, when one is given). Nothing else; bodies are JSON and never hold a value from config.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PersisterError, PersisterErrorCode } from './errors.js';
import type { Readiness } from './readiness.js';

export type MetricsHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface HealthServerOptions {
  readonly readiness: Readiness;
  readonly host: string;
  /** 0 picks a free port (tests); `start()` resolves with the bound one. */
  readonly port: number;
  readonly metricsHandler?: MetricsHandler;
}

export interface HealthServer {
  /** Listens; resolves with the bound port. Rejects with HEALTH_LISTEN_FAILED. */
  start(): Promise<number>;
  /** Stops listening and ends open connections; idempotent. */
  stop(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

export function createHealthServer(options: HealthServerOptions): HealthServer {
  const { readiness, metricsHandler } = options;
  let server: Server | undefined;
  let stopping: Promise<void> | undefined;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, { error: 'method-not-allowed' });
      return;
    }
    if (path === '/healthz') {
      send(response, 200, { status: 'up' });
    } else if (path === '/readyz') {
      const report = await readiness.check();
      send(response, report.ready ? 200 : 503, {
        status: report.ready ? 'ready' : 'not-ready',
        database: report.database,
        bus: report.bus,
      });
    } else if (path === '/metrics' && metricsHandler !== undefined) {
      metricsHandler(request, response);
    } else {
      send(response, 404, { error: 'not-found' });
    }
  };

  return {
    start() {
      if (server !== undefined) return Promise.reject(new Error('health server already started'));
      const s = createServer((request, response) => {
        handle(request, response).catch(() => {
          if (!response.headersSent) send(response, 500, { error: 'internal' });
          else response.destroy();
        });
      });
      server = s;
      return new Promise((resolve, reject) => {
        s.once('error', (error) => {
          reject(
            new PersisterError(
              PersisterErrorCode.HealthListenFailed,
              `health port ${options.port}: cannot listen`,
              { cause: error },
            ),
          );
        });
        s.listen(options.port, options.host, () => resolve((s.address() as AddressInfo).port));
      });
    },
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        if (server === undefined || !server.listening) {
          resolve();
          return;
        }
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}
