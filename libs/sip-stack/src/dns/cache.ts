// A TTL-respecting cache in front of a DnsResolver: a registrar client that registers thousands
// of accounts on one domain asks DNS once per TTL, not once per account. Bounded in entries,
// timed by the injected Clock, and concurrent questions for one name share one query.
import type { Clock } from '../clock.js';
import type { DnsResolver } from './types.js';

export interface DnsCacheOptions {
  readonly clock: Clock;
  /** Most answers kept; the least recently used goes first. Default 1024. */
  readonly maxEntries?: number;
  /** How long "no such name / no such record" is kept (RFC 2308 negative caching). Default 30. */
  readonly negativeTtlSeconds?: number;
  /** TTL for records that come without one (Node reports none for SRV and NAPTR). Default 60. */
  readonly unknownTtlSeconds?: number;
  /** No answer is kept longer than this, whatever its TTL says. Default 3600. */
  readonly maxTtlSeconds?: number;
}

export interface CachingDnsResolver extends DnsResolver {
  /** Answers currently kept (expired ones included until they are next looked at). */
  size(): number;
  /** Forgets every answer. */
  clear(): void;
}

type Kind = 'naptr' | 'srv' | 'a' | 'aaaa';

interface Entry {
  readonly records: readonly { readonly ttl?: number }[];
  readonly expiresAtMs: number;
}

/** Wraps `resolver`; failed queries (DnsError) are never kept. */
export function createCachingResolver(
  resolver: DnsResolver,
  options: DnsCacheOptions,
): CachingDnsResolver {
  const clock = options.clock;
  const maxEntries = options.maxEntries ?? 1024;
  const negativeTtlSeconds = options.negativeTtlSeconds ?? 30;
  const unknownTtlSeconds = options.unknownTtlSeconds ?? 60;
  const maxTtlSeconds = options.maxTtlSeconds ?? 3600;
  const entries = new Map<string, Entry>(); // insertion order = least recently used first
  const inFlight = new Map<string, Promise<readonly { readonly ttl?: number }[]>>();
  let generation = 0; // bumped by clear(): an answer asked for before it is not kept

  /** RFC 2181 §5.2: the TTLs of one RRset should agree; when they do not, the lowest wins. */
  function ttlSeconds(records: readonly { readonly ttl?: number }[]): number {
    if (records.length === 0) return negativeTtlSeconds;
    const ttl = Math.min(...records.map((r) => r.ttl ?? unknownTtlSeconds));
    return Math.min(Math.max(0, ttl), maxTtlSeconds);
  }

  function store(key: string, records: readonly { readonly ttl?: number }[]): void {
    const ttl = ttlSeconds(records);
    if (ttl <= 0) return; // TTL 0: use once, never keep (RFC 1035 §3.2.1)
    entries.delete(key);
    entries.set(key, { records, expiresAtMs: clock.now() + ttl * 1000 });
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
  }

  function lookup<R extends { readonly ttl?: number }>(
    kind: Kind,
    name: string,
    query: (name: string) => Promise<readonly R[]>,
  ): Promise<readonly R[]> {
    const key = `${kind} ${name.toLowerCase()}`;
    const entry = entries.get(key);
    if (entry) {
      entries.delete(key);
      if (entry.expiresAtMs > clock.now()) {
        entries.set(key, entry); // most recently used now
        return Promise.resolve(entry.records as readonly R[]);
      }
    }
    const running = inFlight.get(key);
    if (running) return running as Promise<readonly R[]>;
    const askedIn = generation;
    const started: Promise<readonly R[]> = query(name).then(
      (records) => {
        if (inFlight.get(key) === started) inFlight.delete(key);
        if (askedIn === generation) store(key, records);
        return records;
      },
      (error: unknown) => {
        if (inFlight.get(key) === started) inFlight.delete(key);
        throw error;
      },
    );
    inFlight.set(key, started);
    return started;
  }

  return {
    resolveNaptr: (name) => lookup('naptr', name, (n) => resolver.resolveNaptr(n)),
    resolveSrv: (name) => lookup('srv', name, (n) => resolver.resolveSrv(n)),
    resolve4: (name) => lookup('a', name, (n) => resolver.resolve4(n)),
    resolve6: (name) => lookup('aaaa', name, (n) => resolver.resolve6(n)),
    size: () => entries.size,
    clear() {
      generation++;
      entries.clear();
      inFlight.clear();
    },
  };
}
