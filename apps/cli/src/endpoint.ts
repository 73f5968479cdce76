// sipwake's SIP endpoint on its own: the transport and transaction layers on the configured
// listeners. It answers OPTIONS (monitors and load balancers ping with it) and, until the
// services that handle calls and registrations run in this process, refuses other requests
// with 503 + Retry-After so that a peer tries elsewhere or later (RFC 3261 §21.5.4).
import type { SipRequest, SipResponse } from '@sipwake/sip-parser';
import {
  createTransactionLayer,
  createUasResponse,
  createTransport,
  systemClock,
  type ListenOptions,
  type TlsOptions,
  type TransactionLayer,
  type Transport,
} from '@sipwake/sip-stack';

export interface EndpointLog {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface SipEndpointOptions {
  readonly listen: readonly ListenOptions[];
  readonly tls?: TlsOptions;
  readonly log: EndpointLog;
  /** Seconds a refused peer is asked to wait (Retry-After). */
  readonly retryAfterSeconds?: number;
}

export interface SipEndpoint {
  start(): Promise<readonly ListenOptions[]>;
  stop(): Promise<void>;
}

const ALLOW = 'OPTIONS';

export function createSipEndpoint(options: SipEndpointOptions): SipEndpoint {
  const { log } = options;
  const retryAfter = String(options.retryAfterSeconds ?? 60);
  let transport: Transport | undefined;
  let layer: TransactionLayer | undefined;

  const answer = (request: SipRequest): SipResponse => {
    if (request.method === 'OPTIONS') {
      return createUasResponse(request, 200, 'OK', {
        headers: [
          ['Allow', ALLOW],
          ['Accept', 'application/sdp'],
        ],
      });
    }
    return createUasResponse(request, 503, 'Service Unavailable', {
      headers: [['Retry-After', retryAfter]],
    });
  };

  return {
    async start() {
      const clock = systemClock();
      transport = createTransport({
        listen: options.listen,
        clock,
        tls: options.tls,
        idleTimeoutMs: 120_000,
        keepAliveIntervalMs: 0,
        maxMessageBytes: 65_535,
        log,
      });
      await transport.start();
      layer = createTransactionLayer({ transport, clock, log });
      layer.onRequest((transaction) => {
        const { request, flow } = transaction;
        log.info(
          {
            method: request.method,
            callId: request.callId(),
            from: `${flow.protocol}:${flow.remote.address}:${flow.remote.port}`,
          },
          'SIP request',
        );
        transaction.respond(answer(request));
      });
      // The transaction layer answers what it can with 400; this only leaves a trace.
      transport.onInvalid(({ error, flow }) =>
        log.warn(
          {
            err: error.message,
            from: `${flow.protocol}:${flow.remote.address}:${flow.remote.port}`,
          },
          'malformed SIP message',
        ),
      );
      return transport.listening();
    },
    async stop() {
      layer?.stop();
      await transport?.stop();
      layer = undefined;
      transport = undefined;
    },
  };
}
