// The values From, To, Contact, Route, Record-Route and Path parse to. Display name and URI text
// are read with the header, the parameters located; the URI is parsed and each parameter decoded
// on first access (a transaction layer reads tags far more often than From URIs). A malformed
// URI or parameter value throws SipParseError there, and `checkMessage` finds it.
import { ParseErrorCode } from './errors.js';
import { buildParams, findParam, getParam, paramAt, unquote } from './params.js';
import { MAX_DELTA_SECONDS } from './scalars.js';
import type { Source } from './source.js';
import { fail, parseBoundedInt } from './text.js';
import type { Contact, FromTo, HeaderParams, NameAddr, PushParams, SipUri } from './types.js';
import { parseUriRange } from './uri.js';

// Fields are declared (no class-field initialisers) and assigned in the constructors in one
// order; the subclasses have constructors of their own, which V8 inlines where it builds them.
export class Address implements NameAddr {
  declare readonly displayName: string | undefined;
  declare readonly uriText: string;
  /** The string the parameters are in, and their ranges (see params.ts scanParams). */
  declare protected readonly src: Source;
  declare protected readonly ranges: readonly number[];
  declare private cUri: SipUri | undefined;
  declare private cParams: HeaderParams | undefined;

  constructor(
    displayName: string | undefined,
    uriText: string,
    src: Source,
    ranges: readonly number[],
  ) {
    this.displayName = displayName;
    this.uriText = uriText;
    this.src = src;
    this.ranges = ranges;
    this.cUri = undefined;
    this.cParams = undefined;
  }

  get uri(): SipUri {
    return (this.cUri ??= parseUriRange(
      this.uriText,
      0,
      this.uriText.length,
      ParseErrorCode.BadUri,
    ));
  }

  get params(): HeaderParams {
    return (this.cParams ??= buildParams(this.src, this.ranges));
  }

  toJSON(): Record<string, unknown> {
    return {
      displayName: this.displayName,
      uri: quiet(() => this.uri),
      uriText: this.uriText,
      params: this.params,
    };
  }
}

/** A getter's value, or undefined when it throws (for logging a malformed value). */
function quiet<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

export class FromToAddress extends Address implements FromTo {
  constructor(
    displayName: string | undefined,
    uriText: string,
    src: Source,
    ranges: readonly number[],
  ) {
    super(displayName, uriText, src, ranges);
  }

  /** False for a tag parameter without a value (`;tag`), which From and To may not have. */
  tagHasValue(): boolean {
    const k = findParam(this.src, this.ranges, 'tag');
    return k < 0 || this.ranges[k + 2]! >= 0;
  }

  get tag(): string | undefined {
    const t = getParam(this.src, this.ranges, 'tag');
    if (t === null) fail(ParseErrorCode.BadNameAddr, 'tag without a value', 'from');
    return t;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), tag: quiet(() => this.tag) };
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

/** qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) (RFC 3261 §25.1). */
function parseQ(v: string | null): number {
  if (v === null || !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(v)) {
    fail(ParseErrorCode.BadNumber, `Contact q is not a qvalue`, 'contact');
  }
  return Number(v);
}

export class ContactAddress extends Address implements Contact {
  declare private cPush: PushParams | undefined;

  constructor(
    displayName: string | undefined,
    uriText: string,
    src: Source,
    ranges: readonly number[],
  ) {
    super(displayName, uriText, src, ranges);
    this.cPush = undefined;
  }

  /** RFC 3261 §20.10: delta-seconds, at most 2^32-1 (RFC 4475 §3.1.2.9). */
  get expires(): number | undefined {
    const e = getParam(this.src, this.ranges, 'expires');
    if (e === undefined) return undefined;
    const n = e === null ? -1 : parseBoundedInt(e, MAX_DELTA_SECONDS);
    if (n < 0) fail(ParseErrorCode.BadNumber, 'Contact expires out of range', 'contact');
    return n;
  }

  get q(): number | undefined {
    const k = findParam(this.src, this.ranges, 'q');
    return k < 0 ? undefined : parseQ(paramAt(this.src, this.ranges, k)!);
  }

  /** RFC 5626 `+sip.instance` without its quotes and angle brackets. */
  get instance(): string | undefined {
    const v = getParam(this.src, this.ranges, '+sip.instance');
    if (v === undefined || v === null) return undefined;
    const u = unquote(v);
    return u.startsWith('<') && u.endsWith('>') ? u.slice(1, -1) : u;
  }

  /** RFC 8599: pn-* from the URI parameters (where RFC 8599 puts them), else the header's. */
  get push(): PushParams {
    if (this.cPush !== undefined) return this.cPush;
    const up = this.uri.params;
    const p = this.params;
    return (this.cPush = {
      provider: pushParam(up, p, 'pn-provider'),
      prid: pushParam(up, p, 'pn-prid'),
      param: pushParam(up, p, 'pn-param'),
      purr: pushParam(up, p, 'pn-purr'),
    });
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      expires: quiet(() => this.expires),
      q: quiet(() => this.q),
      instance: this.instance,
      push: quiet(() => this.push),
    };
  }
}
