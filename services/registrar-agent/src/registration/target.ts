// Where an instance's REGISTERs go. The Request-URI is the registrar URI, or `sip:<domain>` when
// the account names none (RFC 3261 §10.2); they are sent to the outbound proxy when there is one,
// else to the registrar, located by RFC 3263 when it is a name (an IP literal is taken as is).
import { parseUri } from '@sipwake/sip-parser';
import type { SipUri } from '@sipwake/sip-parser';
import { literalTarget } from '@sipwake/sip-stack';
import type { SendTarget, ServerLocator, TransportProtocol } from '@sipwake/sip-stack';
import { isIP } from 'node:net';
import { AgentError, AgentErrorCode } from '../errors.js';
import type { AgentAccount } from '../ports.js';

export interface RegisterRoute {
  /** The REGISTER Request-URI. */
  readonly requestUri: string;
  /** The URI whose server the REGISTER is sent to. */
  readonly next: SipUri;
}

/** Turns a URI into the ordered targets to try; the default takes IP literals only. */
export type TargetFinder = (uri: SipUri) => Promise<readonly SendTarget[]>;

export function routeOf(account: AgentAccount, selector: string): RegisterRoute {
  const requestUri = asSipUri(account.registrar ?? `sip:${account.domain}`, selector);
  const next =
    account.outboundProxy === null ? requestUri : asSipUri(account.outboundProxy, selector);
  let uri: SipUri;
  try {
    uri = parseUri(next);
  } catch (error) {
    throw new AgentError(AgentErrorCode.BadRegistrar, 'the registrar is no SIP URI', {
      cause: error,
      selector,
    });
  }
  return { requestUri, next: withTransport(uri, account.transport) };
}

/** RFC 3263 through the locator for names; literal addresses directly. */
export function locatorFinder(locator: ServerLocator | undefined): TargetFinder {
  return async (uri) => {
    if (isIP(uri.host.replace(/^\[|\]$/g, '')) !== 0 || locator === undefined) {
      return [literalTarget(uri)];
    }
    const targets = await locator.resolve(uri);
    return targets.map((t) => ({
      protocol: t.protocol,
      address: t.address,
      port: t.port,
      ...(t.serverName === undefined ? {} : { serverName: t.serverName }),
    }));
  };
}

function asSipUri(text: string, selector: string): string {
  const trimmed = text.trim();
  const uri = /^sips?:/i.test(trimmed) ? trimmed : `sip:${trimmed}`;
  try {
    parseUri(uri);
  } catch (error) {
    throw new AgentError(AgentErrorCode.BadRegistrar, 'the registrar is no SIP URI', {
      cause: error,
      selector,
    });
  }
  return uri;
}

function withTransport(uri: SipUri, transport: TransportProtocol | null): SipUri {
  if (transport === null || uri.params['transport'] !== undefined) return uri;
  return { ...uri, params: { ...uri.params, transport } };
}
