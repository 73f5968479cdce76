// The pino logger every service uses: secrets redacted by the shared list, and the trace and span
// ids of the active span on every line, so a log line leads to its trace.
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import { redactedValue, redactPaths, secretKeys } from './redact.js';
import { activeTraceIds } from './spans.js';

export interface CreateLoggerOptions {
  /** The service or component name (`registration-api`). */
  readonly name: string;
  readonly level?: Level | 'silent';
  /** Where lines go; standard output unless told (tests pass a stream they read). */
  readonly destination?: DestinationStream;
  /** More secret keys than the shared list. */
  readonly extraSecretKeys?: readonly string[];
}

export type { Logger };

export function createLogger(options: CreateLoggerOptions): Logger {
  const settings = {
    name: options.name,
    level: options.level ?? 'info',
    redact: {
      paths: redactPaths([...secretKeys, ...(options.extraSecretKeys ?? [])]),
      censor: redactedValue,
    },
    mixin: () => activeTraceIds() ?? {},
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}
