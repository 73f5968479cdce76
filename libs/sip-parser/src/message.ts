// The message objects behind SipRequest / SipResponse. Typed accessors parse on first use and
// cache; a header edit bumps the header generation, which empties the cache.
import {
  H_AUTHENTICATION_INFO,
  H_AUTHORIZATION,
  H_CONTACT,
  H_EXPIRES,
  H_MIN_EXPIRES,
  H_PATH,
  H_PROXY_AUTHENTICATE,
  H_PROXY_AUTHORIZATION,
  H_REASON,
  H_RECORD_ROUTE,
  H_REQUIRE,
  H_RETRY_AFTER,
  H_ROUTE,
  H_SUPPORTED,
  H_WWW_AUTHENTICATE,
} from './header-names.js';
import type { HeaderList } from './headers.js';
import * as t from './typed.js';
import type {
  AuthHeader,
  CSeq,
  Contact,
  FromTo,
  NameAddr,
  Reason,
  RetryAfter,
  SipRequest,
  SipResponse,
  SipUri,
  Via,
} from './types.js';
import { parseRequestUri } from './request-uri.js';
import { parseUri } from './uri.js';

/** Where a parsed message lies in its buffer (for lazy strings and raw re-serialization). */
export interface RawSpan {
  readonly buf: Buffer;
  readonly start: number;
  /** Where the header fields begin (after the start line's CRLF). */
  readonly headStart: number;
  readonly bodyStart: number;
  readonly end: number;
}

const EMPTY_BODY = Buffer.alloc(0);

// Fields are declared (no class-field initialisers) and assigned in the constructors, always in
// the same order, so that every message of a kind has one hidden class from its construction.
export class MessageBase {
  declare readonly headers: HeaderList;
  /** The bytes this message was parsed from; undefined for a message built here. */
  declare readonly raw: Buffer | undefined;
  /** @internal where a parsed message lies in `raw` (RawSpan); zeros for a built one. */
  declare readonly start: number;
  declare readonly headStart: number;
  declare readonly bodyStart: number;
  declare readonly end: number;
  declare private bodyBuf: Buffer | undefined;
  /** @internal true once `body` was assigned. */
  declare bodyEdited: boolean;
  declare private gen: number;
  /** @internal caches, filled eagerly by the parser for the fields it checks. */
  declare cVia: readonly Via[] | undefined;
  declare cTopVia: Via | undefined;
  declare cFrom: FromTo | undefined;
  declare cTo: FromTo | undefined;
  declare cCallId: string | undefined;
  declare cCseq: CSeq | undefined;
  declare cMaxForwards: number | null | undefined;
  declare cContentLength: number | null | undefined;
  declare private cContacts: readonly Contact[] | '*' | undefined;
  declare private cMisc: Map<string, unknown> | undefined;

  constructor(headers: HeaderList, span: RawSpan | undefined, body: Buffer | undefined) {
    this.headers = headers;
    this.raw = span?.buf;
    this.start = span === undefined ? 0 : span.start;
    this.headStart = span === undefined ? 0 : span.headStart;
    this.bodyStart = span === undefined ? 0 : span.bodyStart;
    this.end = span === undefined ? 0 : span.end;
    this.bodyBuf = body;
    this.bodyEdited = false;
    this.gen = 0;
    this.cVia = undefined;
    this.cTopVia = undefined;
    this.cFrom = undefined;
    this.cTo = undefined;
    this.cCallId = undefined;
    this.cCseq = undefined;
    this.cMaxForwards = undefined;
    this.cContentLength = undefined;
    this.cContacts = undefined;
    this.cMisc = undefined;
  }

  get body(): Buffer {
    if (this.bodyBuf === undefined) {
      const raw = this.raw;
      this.bodyBuf =
        raw === undefined || this.bodyStart === this.end
          ? EMPTY_BODY
          : raw.subarray(this.bodyStart, this.end);
    }
    return this.bodyBuf;
  }

  set body(value: Buffer) {
    this.bodyBuf = value;
    this.bodyEdited = true;
  }

  /** Empties the caches when the headers changed since they were filled. */
  private sync(): void {
    if (this.gen === this.headers.gen) return;
    this.gen = this.headers.gen;
    this.cVia = this.cTopVia = this.cFrom = this.cTo = undefined;
    this.cCallId = this.cCseq = undefined;
    this.cMaxForwards = this.cContentLength = undefined;
    this.cContacts = undefined;
    this.cMisc = undefined;
  }

  private misc<T>(key: string, read: (h: HeaderList) => T): T {
    this.sync();
    const m = (this.cMisc ??= new Map());
    if (m.has(key)) return m.get(key) as T;
    const v = read(this.headers);
    m.set(key, v);
    return v;
  }

  via(): readonly Via[] {
    this.sync();
    return (this.cVia ??= t.readVias(this.headers));
  }

  topVia(): Via {
    this.sync();
    if (this.cTopVia !== undefined) return this.cTopVia;
    return (this.cTopVia = this.cVia !== undefined ? this.cVia[0]! : t.readTopVia(this.headers));
  }

  from(): FromTo {
    this.sync();
    return (this.cFrom ??= t.readFrom(this.headers));
  }

  to(): FromTo {
    this.sync();
    return (this.cTo ??= t.readTo(this.headers));
  }

  callId(): string {
    this.sync();
    return (this.cCallId ??= t.readCallId(this.headers));
  }

  cseq(): CSeq {
    this.sync();
    return (this.cCseq ??= t.readCseq(this.headers));
  }

  maxForwards(): number | undefined {
    this.sync();
    if (this.cMaxForwards === undefined)
      this.cMaxForwards = t.readMaxForwards(this.headers) ?? null;
    return this.cMaxForwards ?? undefined;
  }

  contacts(): readonly Contact[] | '*' {
    this.sync();
    return (this.cContacts ??= t.readContacts(this.headers, H_CONTACT));
  }

  expires(): number | undefined {
    return this.misc('expires', (h) => t.readDelta(h, H_EXPIRES));
  }

  minExpires(): number | undefined {
    return this.misc('min-expires', (h) => t.readDelta(h, H_MIN_EXPIRES));
  }

  route(): readonly NameAddr[] {
    return this.misc('route', (h) => t.readNameAddrs(h, H_ROUTE));
  }

  recordRoute(): readonly NameAddr[] {
    return this.misc('record-route', (h) => t.readNameAddrs(h, H_RECORD_ROUTE));
  }

  path(): readonly NameAddr[] {
    return this.misc('path', (h) => t.readNameAddrs(h, H_PATH));
  }

  wwwAuthenticate(): readonly AuthHeader[] {
    return this.misc('www-authenticate', (h) => t.readAuth(h, H_WWW_AUTHENTICATE));
  }

  proxyAuthenticate(): readonly AuthHeader[] {
    return this.misc('proxy-authenticate', (h) => t.readAuth(h, H_PROXY_AUTHENTICATE));
  }

  authorization(): readonly AuthHeader[] {
    return this.misc('authorization', (h) => t.readAuth(h, H_AUTHORIZATION));
  }

  proxyAuthorization(): readonly AuthHeader[] {
    return this.misc('proxy-authorization', (h) => t.readAuth(h, H_PROXY_AUTHORIZATION));
  }

  authenticationInfo(): Readonly<Record<string, string>> | undefined {
    return this.misc('authentication-info', (h) => t.readAuthInfo(h, H_AUTHENTICATION_INFO));
  }

  retryAfter(): RetryAfter | undefined {
    return this.misc('retry-after', (h) => t.readRetryAfter(h, H_RETRY_AFTER));
  }

  reasons(): readonly Reason[] {
    return this.misc('reason', (h) => t.readReasons(h, H_REASON));
  }

  supported(): readonly string[] {
    return this.misc('supported', (h) => t.readOptionTags(h, H_SUPPORTED));
  }

  require(): readonly string[] {
    return this.misc('require', (h) => t.readOptionTags(h, H_REQUIRE));
  }

  contentType(): string | undefined {
    return this.misc('content-type', t.readContentType);
  }

  contentLength(): number {
    this.sync();
    if (this.cContentLength === undefined) {
      this.cContentLength = t.readContentLength(this.headers) ?? null;
    }
    return this.cContentLength ?? this.body.length;
  }
}

export class Request extends MessageBase implements SipRequest {
  declare readonly type: 'request';
  declare method: string;
  /** @internal the start line as parsed, to tell an edited message from an untouched one. */
  declare readonly origMethod: string;
  /** @internal true once `uri` was assigned. */
  declare uriEdited: boolean;
  declare private uriText: string;
  /** Where a received Request-URI starts in the buffer; -1 for a built request. */
  declare private readonly uriOffset: number;
  declare private cUri: { readonly text: string; readonly uri: SipUri } | undefined;

  constructor(
    headers: HeaderList,
    span: RawSpan | undefined,
    body: Buffer | undefined,
    method: string,
    uri: string,
    uriOffset = -1,
  ) {
    super(headers, span, body);
    this.type = 'request';
    this.method = method;
    this.origMethod = method;
    this.uriEdited = false;
    this.uriText = uri;
    this.uriOffset = uriOffset;
    this.cUri = undefined;
  }

  get uri(): string {
    return this.uriText;
  }

  set uri(value: string) {
    this.uriText = value;
    this.uriEdited = true;
  }

  /**
   * A received Request-URI is parsed here, on first use (parseMessage made the light checks of
   * request-uri.ts): BAD_REQUEST_URI when it does not parse. An assigned one is parsed as a URI.
   */
  requestUri(): SipUri {
    const text = this.uriText;
    if (this.cUri === undefined || this.cUri.text !== text) {
      const received = !this.uriEdited && this.uriOffset >= 0;
      this.cUri = { text, uri: received ? parseRequestUri(text, this.uriOffset) : parseUri(text) };
    }
    return this.cUri.uri;
  }
}

export class Response extends MessageBase implements SipResponse {
  declare readonly type: 'response';
  declare status: number;
  declare reason: string;
  /** @internal */
  declare readonly origStatus: number;
  /** @internal */
  declare readonly origReason: string;

  constructor(
    headers: HeaderList,
    span: RawSpan | undefined,
    body: Buffer | undefined,
    status: number,
    reason: string,
  ) {
    super(headers, span, body);
    this.type = 'response';
    this.status = status;
    this.reason = reason;
    this.origStatus = status;
    this.origReason = reason;
  }
}
