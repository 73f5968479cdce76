// The stateful proxy's message work (RFC 3261 §16): the copy of a request it forwards, the
// response it passes back, and the best of several final responses.
import { createRequest } from '@sipwake/sip-parser';
import type { SipRequest, SipResponse, SipUri } from '@sipwake/sip-parser';
import { relayBranch, SELECTOR_URI_PARAM } from '@sipwake/sip-relay';
import { viaTransportToken } from '@sipwake/sip-stack';
import type { Flow, SendTarget, TransportProtocol } from '@sipwake/sip-stack';

/** Where the agent says it is: the routers' public address (its Via sent-by, its Record-Route). */
export interface PublicAddress {
  readonly host: string;
  readonly port: number;
}

export interface ForwardOptions {
  readonly selector: string;
  /** §16.6 step 2: the new Request-URI (a binding's contact); kept when absent. */
  readonly requestUri?: string;
  /** §16.6 step 4: the Record-Route value to add (initial requests only). */
  readonly recordRoute?: string;
  /** The transport of the next hop (the Via's sent-protocol). */
  readonly protocol: TransportProtocol;
  readonly via: PublicAddress;
  /** Reason (RFC 3326) or other fields to add. */
  readonly headers?: readonly (readonly [string, string])[];
}

/** RFC 3261 §16.6 step 3: "If the copy does not contain a Max-Forwards header field, the proxy MUST add one with a field value, which SHOULD be 70." */
const DEFAULT_MAX_FORWARDS = 70;

/** §16.3 step 3: a request with Max-Forwards 0 is not forwarded (483), OPTIONS aside. */
export function tooManyHops(request: SipRequest): boolean {
  return request.maxForwards() === 0;
}

/** Whether a Route URI is one the agent wrote for this selector (§16.4: "the proxy MUST remove it"). */
export function isOwnRoute(uri: SipUri, selector: string): boolean {
  return uri.params[SELECTOR_URI_PARAM] === selector;
}

/**
 * §16.4: removes the top Route when it names us. Returns whether it did.
 */
export function stripOwnRoute(request: SipRequest, selector: string): boolean {
  if (!request.headers.has('route')) return false;
  const routes = request.route();
  const top = routes[0];
  if (top === undefined || !isOwnRoute(top.uri, selector)) return false;
  const values = request.headers.getAll('route');
  // One field may hold several values: rewrite the list without its first entry.
  const rest = routes
    .slice(1)
    .map(
      (r) => `${r.displayName ? `"${r.displayName}" ` : ''}<${r.uriText}>${paramsText(r.params)}`,
    );
  request.headers.delete('route');
  if (rest.length > 0 || values.length > 1) request.headers.set('route', rest);
  return true;
}

function paramsText(params: Readonly<Record<string, string | null>>): string {
  return Object.entries(params)
    .map(([k, v]) => (v === null ? `;${k}` : `;${k}=${v}`))
    .join('');
}

/** §16.6: the copy of `request` sent to one target, with our Via on top (its branch names the selector). */
export function forwardRequest(request: SipRequest, options: ForwardOptions): SipRequest {
  const copy = createRequest({
    method: request.method,
    uri: options.requestUri ?? request.uri,
    headers: request.headers.entries(),
    body: Buffer.from(request.body),
  });
  // §16.6 step 3: "decrement the value by one".
  const maxForwards = request.maxForwards();
  copy.headers.set(
    'max-forwards',
    String(maxForwards === undefined ? DEFAULT_MAX_FORWARDS : Math.max(0, maxForwards - 1)),
  );
  // §16.6 step 4: "the proxy MUST insert a Record-Route header field value [...] in front of
  // any existing Record-Route header field values".
  if (options.recordRoute !== undefined) copy.headers.prepend('record-route', options.recordRoute);
  for (const [name, value] of options.headers ?? []) copy.headers.set(name, value);
  // §16.6 step 8: "The proxy MUST insert a Via header field value into the copy before the
  // existing Via header field values"; the branch carries the selector so that a router can
  // bring the responses back to this shard.
  copy.headers.prepend(
    'via',
    viaValue(options.protocol, options.via, relayBranch(options.selector)),
  );
  return copy;
}

export function viaValue(protocol: TransportProtocol, by: PublicAddress, branch: string): string {
  const host = by.host.includes(':') ? `[${by.host}]` : by.host;
  return `SIP/2.0/${viaTransportToken(protocol)} ${host}:${by.port};branch=${branch};rport`;
}

/**
 * §16.7 step 3: the response to pass back, with our Via removed. Undefined when no Via is
 * left: the response was meant for us, not for the element before us.
 */
export function relayedResponse(response: SipResponse): SipResponse | undefined {
  const vias = response.headers.getAll('via');
  if (vias.length === 0) return undefined;
  const top = vias[0]!;
  // A field may list several Vias: drop only the first value.
  const comma = splitFirstVia(top);
  if (comma === undefined) {
    response.headers.set('via', vias.slice(1));
  } else {
    response.headers.set('via', [comma, ...vias.slice(1)]);
  }
  if (response.headers.getAll('via').length === 0) return undefined;
  return response;
}

/** The rest of a Via field value after its first via-parm, or undefined when it holds one. */
function splitFirstVia(value: string): string | undefined {
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) return value.slice(i + 1).trim();
  }
  return undefined;
}

/**
 * §16.7 step 6: "the proxy MUST choose the best final response [...] If there are any 6xx
 * responses, the proxy MUST forward one of them; [o]therwise, the proxy MUST forward a
 * response from the lowest response class stored"; a 503 becomes a 500 (step 6) (the element before us must not think this proxy is overloaded).
 */
export function bestResponse(responses: readonly SipResponse[]): SipResponse | undefined {
  const finals = responses.filter((r) => r.status >= 300);
  const global = finals.find((r) => r.status >= 600);
  const best =
    global ??
    [...finals].sort((a, b) => Math.floor(a.status / 100) - Math.floor(b.status / 100))[0];
  if (best && best.status === 503) {
    best.status = 500;
    best.reason = 'Server Internal Error';
  }
  return best;
}

/** Where to send to reach the sender of a message that came on `flow` (its own connection). */
export function targetOfFlow(flow: Flow): SendTarget {
  return {
    protocol: flow.protocol,
    address: flow.remote.address,
    port: flow.remote.port,
    ...(flow.connectionId === undefined ? {} : { connectionId: flow.connectionId }),
  };
}
