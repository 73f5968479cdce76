// RFC 3263 §4.1: which NAPTR records of a domain to follow, and in which order.
import type { TransportProtocol } from '../transport/types.js';
import type { NaptrRecord } from './types.js';

/** NAPTR service field → transport (RFC 3263 §4.1, RFC 7118 for WebSocket; IANA "sip-table"). */
export const NAPTR_SERVICES: Readonly<Record<string, TransportProtocol>> = {
  'SIP+D2U': 'udp',
  'SIP+D2T': 'tcp',
  'SIPS+D2T': 'tls',
  'SIP+D2W': 'ws',
  'SIPS+D2W': 'wss',
};

/** A NAPTR record that leads to an SRV lookup for one transport. */
export interface NaptrService {
  readonly protocol: TransportProtocol;
  /** The SRV name to query (the record's replacement). */
  readonly srvName: string;
}

/**
 * Keeps the usable records and orders them.
 *
 * RFC 3263 §4.1: "The client MUST discard any service fields that identify a resolution service
 * whose value is not "D2X", for values of X that indicate transport protocols supported by the
 * client." "If the URI is a SIPS URI, the client MUST discard any records whose service field
 * is not SIPS+D2X" — while "a client resolving a SIP URI SHOULD retain records with "SIPS" as
 * the protocol, if the client supports TLS". The records are then tried by order, then
 * preference, lowest first (RFC 3403 §4.1). SIP uses only the "S" flag with an empty regexp:
 * the replacement is the SRV name to query next.
 */
export function selectNaptrServices(
  records: readonly NaptrRecord[],
  secure: boolean,
  supported: readonly TransportProtocol[],
): NaptrService[] {
  return records
    .filter((r) => r.flags.toLowerCase() === 's' && r.regexp === '' && isName(r.replacement))
    .map((r) => ({ record: r, protocol: NAPTR_SERVICES[r.service.toUpperCase()] }))
    .filter(
      (x): x is { record: NaptrRecord; protocol: TransportProtocol } =>
        x.protocol !== undefined &&
        supported.includes(x.protocol) &&
        (!secure || x.protocol === 'tls' || x.protocol === 'wss'),
    )
    .sort((a, b) => a.record.order - b.record.order || a.record.preference - b.record.preference)
    .map((x) => ({ protocol: x.protocol, srvName: stripDot(x.record.replacement) }));
}

function isName(replacement: string): boolean {
  return replacement !== '' && replacement !== '.';
}

function stripDot(name: string): string {
  return (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();
}
