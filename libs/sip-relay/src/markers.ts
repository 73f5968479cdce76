// How sipwake writes a selector into SIP and finds it again: the one definition that routers
// (finding) and agents (writing) share. Four places carry it (DESIGN.md "Services"):
//
// | where                      | written as                                   | by                   |
// | -------------------------- | -------------------------------------------- | -------------------- |
// | Request-URI user part      | `sip:<selector>@host`                        | upstream, devices    |
// | top Via branch             | `z9hG4bKsw<selector>-<random>`               | the agent's requests |
// | Record-Route / Route URI   | `<sip:router:port;transport=…;lr;sw=<sel>>`  | the agent (proxying) |
// | Contact URI                | `<sip:<selector>@router:port;transport=…>`   | the agent            |
//
// A response is routed by its top Via (the agent's branch), a request by the top Route when it
// carries our parameter, else by the Request-URI (user part, or our parameter).
import { isSelector } from '@sipwake/contracts';
import { SipParseError } from '@sipwake/sip-parser';
import type { SipMessage, SipUri } from '@sipwake/sip-parser';
import { generateBranch, MAGIC_COOKIE } from '@sipwake/sip-stack';
import type { TransportProtocol } from '@sipwake/sip-stack';
import { RelayError, RelayErrorCode } from './errors.js';

/** Follows the magic cookie in a branch the agent writes: `z9hG4bK` + `sw` + selector + `-`. */
export const RELAY_BRANCH_MARKER = 'sw';
/** The URI parameter (Record-Route, Route, Contact) carrying the selector: `;sw=<selector>`. */
export const SELECTOR_URI_PARAM = 'sw';

const SELECTOR_LENGTH = 40;
const branchPrefix = MAGIC_COOKIE + RELAY_BRANCH_MARKER;

/** A router's public SIP address, as upstream and devices must see it. */
export interface RouterAddress {
  /** Host name or IP literal (IPv6 without brackets). */
  readonly host: string;
  /** Omitted: the transport's default port. */
  readonly port?: number;
  readonly protocol: TransportProtocol;
}

/** Where `findSelector` found the selector. */
export const SelectorSource = {
  ViaBranch: 'via-branch',
  Route: 'route',
  RequestUri: 'request-uri',
} as const;
export type SelectorSource = (typeof SelectorSource)[keyof typeof SelectorSource];

export interface SelectorMatch {
  readonly selector: string;
  readonly source: SelectorSource;
}

export interface FindSelectorOptions {
  /**
   * Whether a Route URI names this router (its host and port). Default: any Route URI that
   * carries our parameter does — only sipwake writes it.
   */
  readonly isOwnUri?: (uri: SipUri) => boolean;
}

/** A new branch for a request the agent sends for `selector`: RFC 3261 unique, the selector inside. */
export function relayBranch(selector: string): string {
  checkSelector(selector, 'relayBranch');
  return generateBranch(RELAY_BRANCH_MARKER + selector);
}

/** The selector of a branch `relayBranch` wrote, or undefined for any other branch. */
export function selectorFromBranch(branch: string | undefined): string | undefined {
  if (branch === undefined || !branch.startsWith(branchPrefix)) return undefined;
  const end = branchPrefix.length + SELECTOR_LENGTH;
  if (branch.charAt(end) !== '-') return undefined;
  const selector = branch.slice(branchPrefix.length, end);
  return isSelector(selector) ? selector : undefined;
}

function hostPort(address: RouterAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return address.port === undefined ? host : `${host}:${address.port}`;
}

function checkSelector(selector: string, what: string): void {
  if (!isSelector(selector)) {
    throw new RelayError(RelayErrorCode.BadSelector, `${what}: not 40 lowercase hex digits`);
  }
}

/** `sip:router:port;transport=tcp;lr;sw=<selector>`: a loose-routing URI naming the router. */
export function routerRouteUri(selector: string, address: RouterAddress): string {
  checkSelector(selector, 'routerRouteUri');
  return `sip:${hostPort(address)};transport=${address.protocol};lr;${SELECTOR_URI_PARAM}=${selector}`;
}

/** The Record-Route value an agent adds when it stays in a dialog through a router (RFC 3261 §16.6 step 4). */
export function recordRouteFor(selector: string, address: RouterAddress): string {
  return `<${routerRouteUri(selector, address)}>`;
}

/** The Contact URI an agent gives for an instance: the selector as user part, at a router. */
export function contactUriFor(selector: string, address: RouterAddress): string {
  checkSelector(selector, 'contactUriFor');
  return `sip:${selector}@${hostPort(address)};transport=${address.protocol}`;
}

/** The Contact header value: `<sip:<selector>@router:port;transport=…>`. */
export function contactFor(selector: string, address: RouterAddress): string {
  return `<${contactUriFor(selector, address)}>`;
}

/** The selector a URI carries: our parameter first, else a user part that is a selector. */
export function selectorFromUri(uri: SipUri): string | undefined {
  const param = uri.params[SELECTOR_URI_PARAM];
  if (typeof param === 'string' && isSelector(param)) return param;
  if (uri.scheme !== 'sip' && uri.scheme !== 'sips') return undefined;
  return uri.user !== undefined && isSelector(uri.user) ? uri.user : undefined;
}

/** The selector our parameter names on a URI, if it is one. */
function selectorParam(uri: SipUri): string | undefined {
  const param = uri.params[SELECTOR_URI_PARAM];
  return typeof param === 'string' && isSelector(param) ? param : undefined;
}

/**
 * Where a message belongs: a response by its top Via branch; a request by the top Route when
 * it names us with our parameter, else by its Request-URI (user part or our parameter).
 * Never throws: a header that does not parse is a place with no selector.
 */
export function findSelector(
  message: SipMessage,
  options: FindSelectorOptions = {},
): SelectorMatch | undefined {
  if (message.type === 'response') {
    const selector = safely(() => selectorFromBranch(message.topVia().branch));
    return selector === undefined ? undefined : { selector, source: SelectorSource.ViaBranch };
  }
  const fromRoute = safely(() => {
    if (!message.headers.has('route')) return undefined;
    const top = message.route()[0];
    if (top === undefined) return undefined;
    const selector = selectorParam(top.uri);
    if (selector === undefined) return undefined;
    return options.isOwnUri === undefined || options.isOwnUri(top.uri) ? selector : undefined;
  });
  if (fromRoute !== undefined) return { selector: fromRoute, source: SelectorSource.Route };
  const fromUri = safely(() => selectorFromUri(message.requestUri()));
  return fromUri === undefined
    ? undefined
    : { selector: fromUri, source: SelectorSource.RequestUri };
}

function safely<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof SipParseError) return undefined;
    throw error;
  }
}
