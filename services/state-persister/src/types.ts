// What createStatePersister is given: the bus, the database, a logger and its settings.
import type { Bus } from '@sipwake/bus';
import type { Database } from '@sipwake/db';
import type { Tracing } from '@sipwake/telemetry';

/** A pino-like logger: the persister reports only through it. */
export interface PersisterLog {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

export interface PersisterSettings {
  /** The most instances one load page carries, whatever the request asks (bus payload bound). */
  readonly maxPageInstances: number;
}

export interface StatePersisterOptions {
  readonly bus: Bus;
  readonly db: Database;
  readonly log: PersisterLog;
  /** Each handled message becomes a consumer span continuing the sender's trace (headers). */
  readonly tracing?: Tracing;
  readonly config?: Partial<PersisterSettings>;
}

export interface StatePersister {
  /** Subscribes to every subject the README lists, in the persister queue group. */
  start(): void;
  /** Stops taking messages, finishes the batches and loads in flight, then resolves. */
  stop(): Promise<void>;
}

export const defaultSettings: PersisterSettings = { maxPageInstances: 500 };
