// What buildApi is given.
import type { Bus } from '@sipwake/bus';
import type { Database } from '@sipwake/db';
import type { KeyRing } from '@sipwake/secrets';

/** The pino-like logger the service reports through (never given a password). */
export interface ApiLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface Clock {
  now(): number;
}

export interface ApiSettings {
  /** The SIP host the devices use. */
  readonly sipDomain: string;
  /** Selector digits in the SIP host (`s-X.<domain>`); 0 = the plain domain. */
  readonly hostPrefixLength: number;
  /** Requests per minute per client address. */
  readonly rateLimitPerMinute: number;
  /** The admin bearer token; absent or empty: the admin API is not served (404). */
  readonly adminToken?: string;
}

export interface BuildApiOptions {
  readonly db: Database;
  readonly bus: Bus;
  readonly keyRing: KeyRing;
  readonly log: ApiLog;
  readonly config: ApiSettings;
  /** Serve HTTPS with this certificate and key (from `loadTls`); absent: plain HTTP. */
  readonly tls?: { readonly cert: Buffer | string; readonly key: Buffer | string };
  /** Epoch milliseconds for bus events (default: the system clock). */
  readonly clock?: Clock;
}
