// The shapes of RFC 3263 server location: what a resolver answers and what the locator hands out.
import type { TransportProtocol } from '../transport/types.js';

/** RFC 3403 NAPTR record. `ttl` in seconds, when the resolver knows it. */
export interface NaptrRecord {
  readonly order: number;
  readonly preference: number;
  readonly flags: string;
  readonly service: string;
  readonly regexp: string;
  readonly replacement: string;
  readonly ttl?: number;
}

/** RFC 2782 SRV record. `name` is the target host ('' or '.' = service not available). */
export interface SrvRecord {
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  readonly name: string;
  readonly ttl?: number;
}

/** A or AAAA record. */
export interface AddressRecord {
  readonly address: string;
  readonly ttl?: number;
}

/**
 * The DNS queries server location needs. "No such name" and "no such record" resolve to an
 * empty list; every other failure rejects with a DnsError.
 */
export interface DnsResolver {
  resolveNaptr(name: string): Promise<readonly NaptrRecord[]>;
  resolveSrv(name: string): Promise<readonly SrvRecord[]>;
  resolve4(name: string): Promise<readonly AddressRecord[]>;
  resolve6(name: string): Promise<readonly AddressRecord[]>;
}

/** One place to send a request to, in the order RFC 3263 says to try them. */
export interface Target {
  readonly protocol: TransportProtocol;
  /** IPv4 or IPv6 literal, no brackets. */
  readonly address: string;
  readonly port: number;
  /**
   * The domain the URI named (host or maddr): the TLS server name for SNI and the certificate
   * check (RFC 5922 §4.1: the identity is the domain of the URI, not the SRV target).
   * Undefined when the URI named an IP address.
   */
  readonly serverName: string | undefined;
}

/** IP address families in the order to try them: [6, 4] = AAAA before A. */
export type AddressFamily = 4 | 6;
