// The errors of RFC 3263 server location. Codes are stable and append-only; README.md in this
// folder lists them, and errors.test.ts checks that the two agree.
import type { Target } from './types.js';

/** Every code, with whether trying again later (or elsewhere) can help. */
export const DnsErrorCodes = {
  /** The DNS server answered SERVFAIL. */
  DNS_SERVER_FAILURE: { retryable: true },
  /** The DNS server refused the query (REFUSED). */
  DNS_REFUSED: { retryable: true },
  /** No answer within the resolver's timeout and tries. */
  DNS_TIMEOUT: { retryable: true },
  /** The DNS server could not be reached (connection refused). */
  DNS_UNREACHABLE: { retryable: true },
  /** The answer or the query was malformed (FORMERR, bad response, bad family). */
  DNS_BAD_RESPONSE: { retryable: false },
  /** The name cannot be queried (bad name, bad query). */
  DNS_BAD_NAME: { retryable: false },
  /** The query was cancelled (resolver cancelled or destroyed). */
  DNS_CANCELLED: { retryable: false },
  /** Any other resolver failure. */
  DNS_FAILED: { retryable: false },
  /** The URI cannot be located: not sip/sips, no host, bad port. */
  LOCATE_BAD_URI: { retryable: false },
  /** The URI asks for a transport this stack does not support (or sips over UDP). */
  LOCATE_UNSUPPORTED_TRANSPORT: { retryable: false },
  /** DNS gave no target at all for the URI. */
  LOCATE_NO_TARGETS: { retryable: true },
  /** Every target was tried and failed (RFC 3263 §4.3). */
  LOCATE_TARGETS_EXHAUSTED: { retryable: true },
} as const;

export type DnsErrorCode = keyof typeof DnsErrorCodes;

/** DNS record types this module queries. */
export type DnsRecordType = 'NAPTR' | 'SRV' | 'A' | 'AAAA';

/** A DNS query failed for another reason than "no such name" or "no such record". */
export class DnsError extends Error {
  override readonly name = 'DnsError';
  readonly retryable: boolean;

  constructor(
    readonly code: Extract<DnsErrorCode, `DNS_${string}`>,
    readonly hostname: string,
    readonly rrtype: DnsRecordType,
    /** The resolver's own code (`ESERVFAIL`, `ETIMEOUT`, …) when there is one. */
    readonly resolverCode: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      `DNS ${rrtype} lookup of ${hostname} failed: ${code}` +
        (resolverCode ? ` (${resolverCode})` : ''),
      options,
    );
    this.retryable = DnsErrorCodes[code].retryable;
  }
}

/** What went wrong with one target during failover. */
export interface TargetFailure {
  readonly target: Target;
  /** The thrown error (transport failure, transaction timeout)… */
  readonly error?: unknown;
  /** …or the outcome that counts as a failure (a 503 response). */
  readonly outcome?: unknown;
}

/** A URI could not be turned into targets, or none of its targets worked. */
export class LocateError extends Error {
  override readonly name = 'LocateError';
  readonly retryable: boolean;

  constructor(
    readonly code: Extract<DnsErrorCode, `LOCATE_${string}`>,
    message: string,
    /** The targets tried and how each failed (LOCATE_TARGETS_EXHAUSTED). */
    readonly failures: readonly TargetFailure[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.retryable = DnsErrorCodes[code].retryable;
  }
}
