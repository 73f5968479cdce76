// The default DnsResolver: node:dns/promises (c-ares). Its error codes are translated here, once,
// into DnsError; "no such name" and "no such record" are empty answers.
import { Resolver } from 'node:dns/promises';
import { DnsError, type DnsErrorCode, type DnsRecordType } from './errors.js';
import type { DnsResolver } from './types.js';

export interface NodeDnsResolverOptions {
  /**
   * DNS servers as `address` or `address:port` (`[v6]:port` for IPv6). Default: the system's
   * (/etc/resolv.conf).
   */
  readonly servers?: readonly string[];
  /** Timeout of one try in milliseconds; default c-ares' own. */
  readonly timeoutMs?: number;
  /** Tries per server before giving up; default 4. */
  readonly tries?: number;
}

/** c-ares codes that mean "the name or the record does not exist": an empty answer. */
const EMPTY_ANSWER_CODES = new Set(['ENOTFOUND', 'ENODATA']);

/** c-ares code → DnsError code. */
const RESOLVER_CODES: Readonly<Record<string, Extract<DnsErrorCode, `DNS_${string}`>>> = {
  ESERVFAIL: 'DNS_SERVER_FAILURE',
  EREFUSED: 'DNS_REFUSED',
  ETIMEOUT: 'DNS_TIMEOUT',
  ECONNREFUSED: 'DNS_UNREACHABLE',
  EFORMERR: 'DNS_BAD_RESPONSE',
  EBADRESP: 'DNS_BAD_RESPONSE',
  EBADFAMILY: 'DNS_BAD_RESPONSE',
  ENOTIMP: 'DNS_BAD_RESPONSE',
  EBADNAME: 'DNS_BAD_NAME',
  EBADQUERY: 'DNS_BAD_NAME',
  EBADSTR: 'DNS_BAD_NAME',
  ECANCELLED: 'DNS_CANCELLED',
  EDESTRUCTION: 'DNS_CANCELLED',
};

/** Translates a resolver failure; returns undefined for an empty answer. */
export function toDnsError(
  error: unknown,
  hostname: string,
  rrtype: DnsRecordType,
): DnsError | undefined {
  const resolverCode =
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string'
      ? (error as { code: string }).code
      : undefined;
  if (resolverCode !== undefined && EMPTY_ANSWER_CODES.has(resolverCode)) return undefined;
  const code = (resolverCode && RESOLVER_CODES[resolverCode]) || 'DNS_FAILED';
  return new DnsError(code, hostname, rrtype, resolverCode, { cause: error });
}

async function query<T>(
  hostname: string,
  rrtype: DnsRecordType,
  run: () => Promise<T[]>,
): Promise<readonly T[]> {
  try {
    return await run();
  } catch (error) {
    const translated = toDnsError(error, hostname, rrtype);
    if (translated) throw translated;
    return [];
  }
}

/** A DnsResolver over node:dns/promises; A and AAAA answers carry their TTLs. */
export function createNodeDnsResolver(options: NodeDnsResolverOptions = {}): DnsResolver {
  const resolver = new Resolver({
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
    ...(options.tries !== undefined ? { tries: options.tries } : {}),
  });
  if (options.servers && options.servers.length > 0) resolver.setServers([...options.servers]);
  return {
    resolveNaptr: (name) => query(name, 'NAPTR', () => resolver.resolveNaptr(name)),
    resolveSrv: (name) => query(name, 'SRV', () => resolver.resolveSrv(name)),
    resolve4: (name) => query(name, 'A', () => resolver.resolve4(name, { ttl: true })),
    resolve6: (name) => query(name, 'AAAA', () => resolver.resolve6(name, { ttl: true })),
  };
}
