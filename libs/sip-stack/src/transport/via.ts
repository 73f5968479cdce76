// Via rules of the transport layer: the transport token, where a response goes (RFC 3261 §18.2.2,
// RFC 3581 §4), and the received/rport stamp on a request that arrived (RFC 3261 §18.2.1).
import type { SipRequest, Via } from '@sipwake/sip-parser';
import { addressFamily, sameAddress, stripBrackets } from './address.js';
import type { Endpoint, Flow, SendTarget, TransportProtocol } from './types.js';

const viaTokens = {
  udp: 'UDP',
  tcp: 'TCP',
  tls: 'TLS',
  ws: 'WS',
  wss: 'WSS',
} as const satisfies Record<TransportProtocol, string>;

export type ViaTransportToken = (typeof viaTokens)[TransportProtocol];

/** The Via sent-protocol transport (RFC 3261 §20.42, RFC 7118 §5.1): `udp` → `UDP`, `wss` → `WSS`. */
export function viaTransportToken(protocol: TransportProtocol): ViaTransportToken {
  return viaTokens[protocol];
}

/**
 * The port a sent-by without one means: 5060, and 5061 for TLS (RFC 3261 §18.2.2, §19.1.2).
 * RFC 7118 names none for WebSocket: the WebSocket ones (RFC 6455 §3) are used.
 */
export function defaultSipPort(protocol: TransportProtocol): number {
  switch (protocol) {
    case 'tls':
      return 5061;
    case 'ws':
      return 80;
    case 'wss':
      return 443;
    default:
      return 5060;
  }
}

export function isReliable(protocol: TransportProtocol): boolean {
  return protocol !== 'udp';
}

/**
 * Where the response to a request goes, from the request's top Via and the flow it came on.
 * A sent-by that is a domain name is returned as is: the caller resolves it (RFC 3263 §6).
 */
export function responseTarget(via: Via, flow: Flow): SendTarget {
  const protocol = flow.protocol;
  const sentByPort = via.port ?? defaultSipPort(protocol);
  // RFC 3261 §18.2.2: "If the "sent-protocol" is a reliable transport protocol such as TCP or
  // SCTP, or TLS over those, the response MUST be sent using the existing connection to the
  // source of the original request [...] if that connection is still open. [...] If that
  // connection is no longer open, the server SHOULD open a connection to the IP address in the
  // "received" parameter, if present, using the port in the "sent-by" value".
  if (isReliable(protocol)) {
    return {
      protocol,
      address: via.received ?? sentByAddress(via, flow),
      port: sentByPort,
      ...(flow.connectionId === undefined ? {} : { connectionId: flow.connectionId }),
    };
  }
  // "Otherwise, if the Via header field value contains a "maddr" parameter, the response MUST be
  // forwarded to the address listed there, using the port indicated in "sent-by", or port 5060".
  if (via.maddr !== undefined) {
    return { protocol, address: stripBrackets(via.maddr), port: sentByPort };
  }
  // RFC 3581 §4: "it MUST send it to the IP address indicated in the "received" parameter, and
  // the port indicated in the "rport" parameter" (from the address and port it arrived on).
  if (typeof via.rport === 'number') {
    return { protocol, address: via.received ?? sentByAddress(via, flow), port: via.rport };
  }
  // RFC 3261 §18.2.2: "Otherwise (for unreliable unicast transports), if the top Via has a
  // "received" parameter, the response MUST be sent to the address in the "received" parameter,
  // using the port indicated in the "sent-by" value, or using port 5060 if none is specified".
  if (via.received !== undefined) {
    return { protocol, address: via.received, port: sentByPort };
  }
  // "Otherwise, [...] the response MUST be sent to the address indicated by the "sent-by" value".
  return { protocol, address: stripBrackets(via.host), port: sentByPort };
}

/** The sent-by host when it is an IP literal, else the address the request came from. */
function sentByAddress(via: Via, flow: Flow): string {
  return addressFamily(via.host) === 0 ? flow.remote.address : stripBrackets(via.host);
}

/**
 * The parameters a server sets on the top Via of a request that arrived from `source`: RFC 3261
 * §18.2.1 `received`, RFC 3581 §4 `rport` (with `received`); undefined when none is needed.
 */
export function receivedParams(via: Via, source: Endpoint): Record<string, string> | undefined {
  // RFC 3581 §4: "If this Via header field value contains an "rport" parameter with no value, it
  // MUST set the value of the parameter to the source port of the request. [...] the server
  // MUST [also] insert a "received" parameter containing the source IP address that the request
  // came from, even if it is identical to the value of the "sent-by" component."
  const fillRport = via.rport === true;
  // RFC 3261 §18.2.1: "If the host portion of the "sent-by" parameter contains a domain name, or
  // if it contains an IP address that differs from the packet source address, the server MUST
  // add a "received" parameter to that Via header field value."
  const addReceived = fillRport || !sameAddress(via.host, source.address);
  if (!addReceived) return undefined;
  const params: Record<string, string> = { received: source.address };
  if (fillRport) params.rport = String(source.port);
  return params;
}

/** A Via header field line with `params` set on its first value (the other values as written). */
export function setFirstViaParams(line: string, params: Readonly<Record<string, string>>): string {
  const [firstValue, rest] = splitFirstValue(line);
  return setViaParams(firstValue, params) + rest;
}

/**
 * Adds `received` and fills `rport` on the top Via of a request that arrived from `source`,
 * rewriting only the first Via value through the headers API.
 * Throws SipParseError when the top Via is malformed (the message is then invalid).
 */
export function stampReceived(request: SipRequest, source: Endpoint): void {
  const params = receivedParams(request.topVia(), source);
  if (!params) return;
  const [firstLine, ...otherLines] = request.headers.getAll('via');
  if (firstLine === undefined) return;
  request.headers.set('via', [setFirstViaParams(firstLine, params), ...otherLines]);
}

/** Splits `a, b, c` at the first comma outside quotes: [`a`, `, b, c`]. */
export function splitFirstValue(line: string): [string, string] {
  const comma = indexOutsideQuotes(line, ',');
  return comma < 0 ? [line, ''] : [line.slice(0, comma), line.slice(comma)];
}

/** Sets (replacing or appending) parameters of one Via value, keeping every other byte as written. */
export function setViaParams(value: string, params: Readonly<Record<string, string>>): string {
  const parts = splitOutsideQuotes(value, ';');
  const pending = new Map(Object.entries(params));
  const out = parts.map((part, i) => {
    if (i === 0) return part;
    const name = (part.split('=')[0] ?? '').trim().toLowerCase();
    const replacement = pending.get(name);
    if (replacement === undefined) return part;
    pending.delete(name);
    return `${name}=${replacement}`;
  });
  if (pending.size > 0) out[out.length - 1] = (out[out.length - 1] ?? '').trimEnd();
  for (const [name, v] of pending) out.push(`${name}=${v}`);
  return out.join(';');
}

function indexOutsideQuotes(text: string, char: string, from = 0): number {
  let quoted = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === char) return i;
  }
  return -1;
}

function splitOutsideQuotes(text: string, char: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (;;) {
    const at = indexOutsideQuotes(text, char, start);
    if (at < 0) break;
    parts.push(text.slice(start, at));
    start = at + 1;
  }
  parts.push(text.slice(start));
  return parts;
}
