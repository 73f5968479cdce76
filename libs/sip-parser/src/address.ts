// The values From, To, Contact, Route, Record-Route and Path parse to. Display name, URI text
// and parameters are read with the header; the URI itself is parsed on first access of `uri`
// (a transaction layer reads tags and Call-IDs far more often than From URIs), so a malformed
// URI throws SipParseError there, and `checkMessage` finds it.
import { ParseErrorCode } from './errors.js';
import { unquote } from './params.js';
import type { Contact, FromTo, HeaderParams, NameAddr, PushParams, SipUri } from './types.js';
import { parseUriRange } from './uri.js';

export class Address implements NameAddr {
  readonly displayName: string | undefined;
  readonly uriText: string;
  readonly params: HeaderParams;
  #uri: SipUri | undefined;

  constructor(displayName: string | undefined, uriText: string, params: HeaderParams) {
    this.displayName = displayName;
    this.uriText = uriText;
    this.params = params;
    this.#uri = undefined;
  }

  get uri(): SipUri {
    return (this.#uri ??= parseUriRange(
      this.uriText,
      0,
      this.uriText.length,
      ParseErrorCode.BadUri,
    ));
  }

  toJSON(): Record<string, unknown> {
    return {
      displayName: this.displayName,
      uri: this.jsonUri(),
      uriText: this.uriText,
      params: this.params,
    };
  }

  protected jsonUri(): SipUri | undefined {
    try {
      return this.uri;
    } catch {
      return undefined;
    }
  }
}

export class FromToAddress extends Address implements FromTo {
  readonly tag: string | undefined;

  constructor(
    displayName: string | undefined,
    uriText: string,
    params: HeaderParams,
    tag: string | undefined,
  ) {
    super(displayName, uriText, params);
    this.tag = tag;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), tag: this.tag };
  }
}

function pushParam(
  uriParams: Readonly<Record<string, string | null>>,
  params: HeaderParams,
  name: string,
): string | undefined {
  const u = uriParams[name];
  if (u !== undefined && u !== null) return u;
  const h = params[name];
  return h === undefined || h === null ? undefined : unquote(h);
}

export class ContactAddress extends Address implements Contact {
  readonly expires: number | undefined;
  readonly q: number | undefined;
  readonly instance: string | undefined;
  #push: PushParams | undefined;

  constructor(
    displayName: string | undefined,
    uriText: string,
    params: HeaderParams,
    expires: number | undefined,
    q: number | undefined,
    instance: string | undefined,
  ) {
    super(displayName, uriText, params);
    this.expires = expires;
    this.q = q;
    this.instance = instance;
    this.#push = undefined;
  }

  /** RFC 8599: pn-* from the URI parameters (where RFC 8599 puts them), else the header's. */
  get push(): PushParams {
    if (this.#push !== undefined) return this.#push;
    const up = this.uri.params;
    const p = this.params;
    return (this.#push = {
      provider: pushParam(up, p, 'pn-provider'),
      prid: pushParam(up, p, 'pn-prid'),
      param: pushParam(up, p, 'pn-param'),
      purr: pushParam(up, p, 'pn-purr'),
    });
  }

  override toJSON(): Record<string, unknown> {
    let push: PushParams | undefined;
    try {
      push = this.push;
    } catch {
      push = undefined;
    }
    return {
      ...super.toJSON(),
      expires: this.expires,
      q: this.q,
      instance: this.instance,
      push,
    };
  }
}
