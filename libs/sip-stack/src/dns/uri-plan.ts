// From a SIP/SIPS URI to what must be looked up (RFC 3263 §4): the TARGET, whether it is an IP
// address, the transport the URI fixes (if any) and the port. Pure: no DNS here.
import { isIP } from 'node:net';
import type { SipUri } from '@sipwake/sip-parser';
import type { TransportProtocol } from '../transport/types.js';
import { LocateError } from './errors.js';

/** The parts of a parsed URI that server location reads. */
export type LocatableUri = Pick<SipUri, 'scheme' | 'host' | 'port' | 'params'>;

export type LookupPlan =
  /** TARGET is an IP address: nothing to resolve. */
  | {
      readonly kind: 'address';
      readonly address: string;
      readonly protocol: TransportProtocol;
      readonly port: number;
    }
  /** A name with an explicit port: A/AAAA only. */
  | {
      readonly kind: 'hosts';
      readonly host: string;
      readonly protocol: TransportProtocol;
      readonly port: number;
    }
  /** A name with a transport parameter: SRV for that transport, then A/AAAA. */
  | { readonly kind: 'srv'; readonly host: string; readonly protocol: TransportProtocol }
  /** A name alone: NAPTR, then SRV, then A/AAAA. */
  | { readonly kind: 'discover'; readonly host: string; readonly secure: boolean };

/** The default port of each transport (RFC 3261 §19.1.2; RFC 6455 §3 for WebSocket). */
export const DEFAULT_PORTS: Readonly<Record<TransportProtocol, number>> = {
  udp: 5060,
  tcp: 5060,
  tls: 5061,
  ws: 80,
  wss: 443,
};

/** The SRV service name prefix of each transport (RFC 3263 §4.1). RFC 7118 defines NAPTR services
 * for WebSocket (SIP+D2W, SIPS+D2W) but no SRV label: `_sip._ws` / `_sips._ws` follow the usage of
 * the services that publish one. */
export const SRV_PREFIXES: Readonly<Record<TransportProtocol, string>> = {
  udp: '_sip._udp',
  tcp: '_sip._tcp',
  tls: '_sips._tcp',
  ws: '_sip._ws',
  wss: '_sips._ws',
};

/** Lower-cased, brackets and a trailing dot removed: the form DNS queries and Targets use. */
export function normalizeHost(host: string): string {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return (h.endsWith('.') ? h.slice(0, -1) : h).toLowerCase();
}

/**
 * The transport a `transport=` parameter asks for. RFC 3261 §26.2.1: a SIPS URI over TCP means
 * TLS; RFC 7118: `transport=ws` in a SIPS URI means secure WebSocket. SIPS over UDP does
 * not exist (returns undefined).
 */
export function protocolOfParam(value: string, secure: boolean): TransportProtocol | undefined {
  switch (value.toLowerCase()) {
    case 'udp':
      return secure ? undefined : 'udp';
    case 'tcp':
      return secure ? 'tls' : 'tcp';
    case 'tls':
      return 'tls';
    case 'ws':
      return secure ? 'wss' : 'ws';
    case 'wss':
      return 'wss';
    default:
      return undefined;
  }
}

/**
 * RFC 3263 §4.1: "if no transport protocol is specified, but the TARGET is a numeric IP address,
 * the client SHOULD use UDP for a SIP URI, and TCP for a SIPS URI" — TLS over TCP, since a SIPS
 * URI requires TLS. When UDP is not supported, TCP ("another transport, such as TCP, MAY be used").
 */
export function defaultProtocol(
  secure: boolean,
  supported: readonly TransportProtocol[],
): TransportProtocol | undefined {
  const candidates: readonly TransportProtocol[] = secure ? ['tls'] : ['udp', 'tcp', 'tls'];
  return candidates.find((p) => supported.includes(p));
}

function checkPort(port: number | undefined): number | undefined {
  if (port === undefined) return undefined;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new LocateError('LOCATE_BAD_URI', `port ${port} is out of range`);
  }
  return port;
}

/** Decides what to look up for a URI; throws LocateError when it cannot be located at all. */
export function planLookup(uri: LocatableUri, supported: readonly TransportProtocol[]): LookupPlan {
  if (uri.scheme !== 'sip' && uri.scheme !== 'sips') {
    throw new LocateError('LOCATE_BAD_URI', `a ${uri.scheme}: URI names no server`);
  }
  const secure = uri.scheme === 'sips';
  // RFC 3263 §4: "If the URI contains an maddr parameter with a value, TARGET is the maddr
  // value; otherwise, TARGET is the host value."
  const maddr = uri.params['maddr'];
  const target = normalizeHost(typeof maddr === 'string' && maddr !== '' ? maddr : uri.host);
  if (target === '') throw new LocateError('LOCATE_BAD_URI', 'the URI has no host');
  const port = checkPort(uri.port);

  let protocol: TransportProtocol | undefined;
  const param = uri.params['transport'];
  if (typeof param === 'string' && param !== '') {
    // RFC 3263 §4.1: "If the URI specifies a transport protocol in the transport parameter,
    // that transport protocol SHOULD be used."
    protocol = protocolOfParam(param, secure);
    if (!protocol || !supported.includes(protocol)) {
      throw new LocateError(
        'LOCATE_UNSUPPORTED_TRANSPORT',
        `transport=${param} is not supported for a ${uri.scheme}: URI`,
      );
    }
  }

  if (isIP(target) !== 0 || port !== undefined) {
    // RFC 3263 §4.1: a numeric TARGET, or a name with an explicit port, uses UDP for a SIP URI
    // and TCP (TLS) for a SIPS URI unless the URI says otherwise.
    protocol ??= defaultProtocol(secure, supported);
    if (!protocol) {
      throw new LocateError(
        'LOCATE_UNSUPPORTED_TRANSPORT',
        `no supported transport for a ${uri.scheme}: URI`,
      );
    }
    const resolvedPort = port ?? DEFAULT_PORTS[protocol];
    // RFC 3263 §4.2: "If the TARGET was not a numeric IP address, but a port is present in
    // the URI, the client performs an A or AAAA record lookup of the domain name."
    return isIP(target) !== 0
      ? { kind: 'address', address: target, protocol, port: resolvedPort }
      : { kind: 'hosts', host: target, protocol, port: resolvedPort };
  }
  if (protocol) return { kind: 'srv', host: target, protocol };
  return { kind: 'discover', host: target, secure };
}
