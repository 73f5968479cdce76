// What createPushNotifier is given and what it returns.
import type { Bus } from '@sipwake/bus';
import type { SipwakeMetrics, Tracing } from '@sipwake/telemetry';
import type { Clock } from './clock.js';
import type { PushNotifierConfig } from './config.js';
import type { Templates } from './templates.js';

/** A pino-like logger: the notifier reports only through it. */
export interface PushLog {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

export interface PushNotifierOptions {
  readonly bus: Bus;
  /** The loaded configuration (`loadConfig(configSchema, …)`); key files are read at creation. */
  readonly config: PushNotifierConfig;
  readonly log: PushLog;
  readonly clock?: Clock;
  /** Spans per request and per push (their parent from the bus headers). */
  readonly tracing?: Tracing;
  /** `sipwake_pushes_total{provider,outcome}`. */
  readonly metrics?: SipwakeMetrics;
  /** Templates given directly instead of `templates.file`. */
  readonly templates?: Templates;
  /** Jitter source (tests make it fixed). */
  readonly random?: () => number;
}

export interface PushNotifierStats {
  /** Connections opened per provider so far. */
  readonly connections: Readonly<Record<string, number>>;
  /** APNs provider tokens signed and Google access tokens granted so far. */
  readonly apnsTokensSigned: number;
  readonly fcmTokensGranted: number;
}

export interface PushNotifier {
  /** Subscribes to the push subject in the push-notifier queue group. */
  start(): void;
  /** Stops taking requests, cuts retry waits short, answers what is in flight, closes connections. */
  stop(): Promise<void>;
  stats(): PushNotifierStats;
}
