// The router's public shapes: its dependencies and what createRouter returns.
import type { Bus } from '@sipwake/bus';
import type { ListenOptions } from '@sipwake/sip-stack';
import type { Tracing } from '@sipwake/telemetry';
import type { RouterMetrics } from './metrics.js';
import type { RouterSettings } from './settings.js';

/** The pino subset the router logs through. */
export interface RouterLog {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface RouterDeps {
  readonly bus: Bus;
  readonly config: RouterSettings;
  readonly log: RouterLog;
  /** Spans per received message and per send; none when absent. */
  readonly tracing?: Tracing;
  readonly metrics?: RouterMetrics;
  /** Epoch milliseconds (receivedAt of forwards); Date.now by default. */
  readonly now?: () => number;
}

/** Why a router stopped. */
export type RouterStopReason = 'stopped';

export interface Router {
  /** Binds the listeners and serves sends; rejects (nothing left open) when a listener cannot bind. */
  start(): Promise<void>;
  /** 503 to new requests for `stopGraceMs`, then stops serving sends, closes listeners. Idempotent. */
  stop(): Promise<RouterStopReason>;
  /** The bound listeners (after start). */
  listening(): readonly (ListenOptions & { readonly port: number })[];
}
