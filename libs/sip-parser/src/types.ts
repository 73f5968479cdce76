// The public shapes of sipwake's SIP parser. Every layer above (transports, transactions,
// router, registrar-agent) codes against these; the parser fills them.

/**
 * Lower-cased. From, To, Contact and the Request-URI may carry any absoluteURI (RFC 3261
 * §19.1, §20): other schemes parse with their text in `opaque` (an element answers 416).
 */
export type UriScheme = 'sip' | 'sips' | 'tel' | (string & Record<never, never>);

/** A parsed URI (RFC 3261 §19.1, RFC 3966 for tel). Escapes are decoded in user/password/params. */
export interface SipUri {
  readonly scheme: UriScheme;
  /** sip/sips: the user part; tel: the number (global or local). */
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** Host name (lower-cased), IPv4 address, or IPv6 reference with brackets (`[2001:db8::1]`). Empty for tel. */
  readonly host: string;
  readonly port: number | undefined;
  /** URI parameters, names lower-cased; `null` for a parameter without a value (`;lr`). */
  readonly params: Readonly<Record<string, string | null>>;
  /** URI headers (`?subject=x`), decoded. */
  readonly headers: Readonly<Record<string, string>>;
  /** Schemes other than sip/sips/tel: everything after `scheme:` as written; else undefined. */
  readonly opaque: string | undefined;
}

/** A header parameter list: names lower-cased, `null` for a name without a value. */
export type HeaderParams = Readonly<Record<string, string | null>>;

/**
 * name-addr / addr-spec with parameters: From, To, Contact, Route, Record-Route, Path.
 * `uri`, `params` (and the parameter-derived fields of FromTo and Contact) are decoded on first
 * access and throw SipParseError when malformed.
 */
export interface NameAddr {
  /** Display name with quotes removed and quoted-pairs unescaped; undefined when absent. */
  readonly displayName: string | undefined;
  readonly uri: SipUri;
  /** The URI exactly as written (without the angle brackets). */
  readonly uriText: string;
  readonly params: HeaderParams;
}

export interface FromTo extends NameAddr {
  readonly tag: string | undefined;
}

/** RFC 8599 push parameters carried on a Contact. */
export interface PushParams {
  readonly provider: string | undefined; // pn-provider
  readonly prid: string | undefined; // pn-prid
  readonly param: string | undefined; // pn-param
  readonly purr: string | undefined; // pn-purr
}

export interface Contact extends NameAddr {
  readonly expires: number | undefined;
  readonly q: number | undefined;
  /** `+sip.instance` with its quotes and angle brackets removed (`urn:uuid:…`). */
  readonly instance: string | undefined;
  /** RFC 8599 parameters, read from the URI parameters (where RFC 8599 puts them) or the header parameters. */
  readonly push: PushParams;
}

/** One via-parm. `branch`, `received`, `rport`, `maddr`, `ttl` and `params` are decoded on first
 * access and throw SipParseError when malformed. */
export interface Via {
  /** `SIP/2.0` */
  readonly protocol: string;
  /** Upper-cased: UDP, TCP, TLS, SCTP, WS, WSS, … */
  readonly transport: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly branch: string | undefined;
  readonly received: string | undefined;
  /** `true` when `rport` is present without a value (RFC 3581 request). */
  readonly rport: number | true | undefined;
  readonly maddr: string | undefined;
  readonly ttl: number | undefined;
  readonly params: HeaderParams;
}

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

/** A challenge (WWW-/Proxy-Authenticate) or credentials (Authorization, Proxy-Authorization). */
export interface AuthHeader {
  /** As written, e.g. `Digest`. Compare case-insensitively. */
  readonly scheme: string;
  /** auth-params, names lower-cased, quoted values unquoted and unescaped. */
  readonly params: Readonly<Record<string, string>>;
  /** A scheme followed by a token68 instead of auth-params (RFC 7235, e.g. `Bearer`, RFC 8898). */
  readonly token68?: string;
}

export interface RetryAfter {
  readonly seconds: number;
  readonly duration: number | undefined;
  readonly comment: string | undefined;
}

export interface Reason {
  /** `SIP`, `Q.850`, … */
  readonly protocol: string;
  readonly cause: number | undefined;
  readonly text: string | undefined;
  readonly params: HeaderParams;
}

/**
 * The ordered header fields of a message. Names are matched case-insensitively and compact
 * forms are equivalent to their full names (`v` = `via`). Values are the field values as
 * written, with line folding replaced by a single space.
 */
export interface SipHeaders {
  /** Value of the first field with this name. */
  get(name: string): string | undefined;
  /** Values of every field with this name, in order (one entry per header field line). */
  getAll(name: string): readonly string[];
  has(name: string): boolean;
  /** Every field in order as [lower-case full name, value]. */
  entries(): readonly (readonly [string, string])[];
  /** Replaces every field with this name by the given values (appended at the first one's place). */
  set(name: string, value: string | readonly string[]): void;
  append(name: string, value: string): void;
  /** Inserts before the first field with this name (or first of all): how a proxy adds its Via. */
  prepend(name: string, value: string): void;
  /** Removes every field with this name. */
  delete(name: string): void;
}

interface SipMessageBase {
  readonly headers: SipHeaders;
  body: Buffer;
  /** The bytes this message was parsed from; undefined for a message built here. */
  readonly raw: Buffer | undefined;

  // Typed access. Parsed on first use and cached (the cache follows header edits).
  // A malformed value throws SipParseError, never anything else.
  via(): readonly Via[];
  /** The first Via; throws SipParseError (MISSING_HEADER) when there is none. */
  topVia(): Via;
  from(): FromTo;
  to(): FromTo;
  callId(): string;
  cseq(): CSeq;
  maxForwards(): number | undefined;
  /** `'*'` for the wildcard Contact of a de-registration. */
  contacts(): readonly Contact[] | '*';
  expires(): number | undefined;
  minExpires(): number | undefined;
  route(): readonly NameAddr[];
  recordRoute(): readonly NameAddr[];
  path(): readonly NameAddr[];
  wwwAuthenticate(): readonly AuthHeader[];
  proxyAuthenticate(): readonly AuthHeader[];
  authorization(): readonly AuthHeader[];
  proxyAuthorization(): readonly AuthHeader[];
  authenticationInfo(): Readonly<Record<string, string>> | undefined;
  retryAfter(): RetryAfter | undefined;
  /** The Reason header values (RFC 3326). Named apart from a response's `reason` phrase. */
  reasons(): readonly Reason[];
  /** Option tags, lower-cased. */
  supported(): readonly string[];
  require(): readonly string[];
  /** Media type, lower-cased, without parameters (`application/sdp`). */
  contentType(): string | undefined;
  /** The declared Content-Length, or the body length when the header is absent. */
  contentLength(): number;
}

export interface SipRequest extends SipMessageBase {
  readonly type: 'request';
  method: string;
  /** The Request-URI as written. */
  uri: string;
  /** The Request-URI parsed (cached; follows edits of `uri`). */
  requestUri(): SipUri;
}

export interface SipResponse extends SipMessageBase {
  readonly type: 'response';
  status: number;
  reason: string;
}

export type SipMessage = SipRequest | SipResponse;

export interface ParseOptions {
  /** Header section bound in bytes (default 64 KiB). */
  readonly maxHeaderBytes?: number;
  /** Body bound in bytes (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /**
   * A datagram (UDP) ends the message: a missing Content-Length means "the rest", extra
   * octets after Content-Length are discarded (RFC 3261 §18.3). On a stream Content-Length
   * is mandatory.
   */
  readonly datagram?: boolean;
}

/**
 * RFC 5626 §4.4.1 roles on a stream flow: the client (the side that opened it) sends CRLFCRLF
 * pings, the server answers each with a CRLF pong.
 */
export type KeepAliveRole = 'client' | 'server';

export interface StreamFramerOptions extends ParseOptions {
  /**
   * This side's role on the flow. `client`: a lone CRLF (one not part of a CRLFCRLF) is the
   * pong to our ping, also when a message follows it in the same read. `server`: a lone CRLF is
   * never a pong; one at the end of a read waits for the next octets, so that a ping split
   * across two reads is one ping, and a lone CRLF before a start line is ignored (RFC 3261
   * §7.5). Without a role, a lone CRLF with nothing after it is a pong and one before a start
   * line is ignored.
   */
  readonly keepAliveRole?: KeepAliveRole;
}

/** What a stream framer hands up for each chunk it was fed. */
export type FramerEvent =
  | { readonly type: 'message'; readonly message: SipMessage; readonly bytes: Buffer }
  /** The message was framed (its bytes are known) but does not parse: answer 400 where possible. */
  | { readonly type: 'invalid'; readonly bytes: Buffer; readonly error: Error }
  /** RFC 5626 §4.4.1: a CRLFCRLF ping; the transport answers with a single CRLF pong. */
  | { readonly type: 'ping' }
  /** A lone CRLF pong (answer to our ping; see StreamFramerOptions.keepAliveRole). */
  | { readonly type: 'pong' };

export interface StreamFramer {
  /** Feeds a chunk; returns every event it completes. Throws SipParseError when framing is lost (close the connection). */
  push(chunk: Buffer): FramerEvent[];
  /** Bytes held waiting for the rest of a message. */
  readonly buffered: number;
}
