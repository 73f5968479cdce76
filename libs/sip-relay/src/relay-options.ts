// createRelayTransport()'s options: defaults beside them, checked once (a bad value names the key).
import type { Bus, BusHeaders } from '@sipwake/bus';
import { parsePrefix } from '@sipwake/contracts';
import type { Prefix } from '@sipwake/contracts';
import type { SendTarget, TransportProtocol } from '@sipwake/sip-stack';
import { RelayError, RelayErrorCode } from './errors.js';

/** The pino subset the relay transport logs through (a library never logs on its own). */
export interface RelayLog {
  debug(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** A router address the agent writes into Via, Record-Route and Contact. */
export interface AdvertisedEndpoint {
  readonly protocol: TransportProtocol;
  /** Host name or IP literal (IPv6 without brackets). */
  readonly address: string;
  readonly port: number;
}

/** What a router told about a message it forwarded (for spans and logs). */
export interface ForwardFacts {
  readonly subject: string;
  readonly selector: string;
  readonly routerId: string;
  readonly receivedAt: number;
  /** The bus headers: W3C `traceparent` of the router's span. */
  readonly headers: BusHeaders;
}

export interface RelayTransportOptions {
  readonly bus: Bus;
  /** The prefixes this shard owns (`4/2`, …): their `sip` subjects are subscribed. */
  readonly prefixes: readonly (string | Prefix)[];
  /** The routers' public addresses, one per protocol: what `listening()` reports. */
  readonly advertised: readonly AdvertisedEndpoint[];
  /** Named in the acks routers get (logs); a subject token. */
  readonly shard?: string;
  /**
   * The router to send through when the target names no connection of one (e.g. the router that
   * last heard from that peer); undefined = any router (the `router` queue group).
   */
  readonly routerSelection?: (target: SendTarget) => string | undefined;
  /** Bound for a router's answer to a send (default 2000 ms). */
  readonly sendTimeoutMs?: number;
  /** Largest message accepted from a router (default 65,535 bytes). */
  readonly maxMessageBytes?: number;
  /**
   * Runs the delivery of each received message, e.g. inside a span whose parent is the router's
   * (`(facts, deliver) => tracing.handlerSpan('sip.receive', facts.headers, deliver)`).
   */
  readonly aroundDelivery?: (facts: ForwardFacts, deliver: () => void) => void;
  /** Headers for each send (e.g. `() => injectTraceContext({})`). */
  readonly sendHeaders?: () => Record<string, string>;
  readonly log?: RelayLog;
}

export interface ResolvedRelayOptions {
  readonly bus: Bus;
  readonly prefixes: readonly Prefix[];
  readonly advertised: readonly AdvertisedEndpoint[];
  readonly shard: string | undefined;
  readonly routerSelection: ((target: SendTarget) => string | undefined) | undefined;
  readonly sendTimeoutMs: number;
  readonly maxMessageBytes: number;
  readonly aroundDelivery: (facts: ForwardFacts, deliver: () => void) => void;
  readonly sendHeaders: (() => Record<string, string>) | undefined;
  readonly log: RelayLog;
}

export const relayDefaults = {
  sendTimeoutMs: 2_000,
  maxMessageBytes: 65_535,
} as const;

const silentLog: RelayLog = { debug() {}, warn() {} };

const deliverNow = (_facts: ForwardFacts, deliver: () => void): void => deliver();

function bad(message: string, cause?: unknown): RelayError {
  return new RelayError(RelayErrorCode.BadOptions, message, { cause });
}

function positiveInteger(key: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw bad(`${key} must be an integer > 0`);
  return value;
}

export function resolveRelayOptions(options: RelayTransportOptions): ResolvedRelayOptions {
  if (options.prefixes.length === 0) throw bad('prefixes must name at least one prefix');
  const prefixes = options.prefixes.map((p, i) => {
    try {
      return typeof p === 'string' ? parsePrefix(p) : p;
    } catch (error) {
      throw bad(`prefixes[${i}] is not a prefix (HEX/BITS)`, error);
    }
  });
  if (options.advertised.length === 0) throw bad('advertised must name at least one endpoint');
  options.advertised.forEach((a, i) => {
    if (a.address === '' || !Number.isInteger(a.port) || a.port < 1 || a.port > 65535) {
      throw bad(`advertised[${i}] needs an address and a port 1..65535`);
    }
  });
  if (options.shard !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(options.shard)) {
    throw bad('shard must be 1..64 of [A-Za-z0-9_-]');
  }
  return Object.freeze({
    bus: options.bus,
    prefixes: Object.freeze(prefixes),
    advertised: Object.freeze(options.advertised.map((a) => Object.freeze({ ...a }))),
    shard: options.shard,
    routerSelection: options.routerSelection,
    sendTimeoutMs: positiveInteger(
      'sendTimeoutMs',
      options.sendTimeoutMs ?? relayDefaults.sendTimeoutMs,
    ),
    maxMessageBytes: positiveInteger(
      'maxMessageBytes',
      options.maxMessageBytes ?? relayDefaults.maxMessageBytes,
    ),
    aroundDelivery: options.aroundDelivery ?? deliverNow,
    sendHeaders: options.sendHeaders,
    log: options.log ?? silentLog,
  });
}
