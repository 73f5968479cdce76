// The parser's only error. Codes are an append-only table: the README documents each one and a
// test keeps the two in step. A transport answers 400 to a framed message that does not parse
// (505 for BAD_VERSION, see `statusForParseError`) and closes a stream whose framing is lost.

export const ParseErrorCode = {
  /** Nothing but CRLFs (or nothing at all). */
  EmptyMessage: 'EMPTY_MESSAGE',
  /** Request-Line or Status-Line malformed (RFC 3261 §7.1, §7.2). */
  BadStartLine: 'BAD_START_LINE',
  /** A SIP-Version other than SIP/2.0: answer 505 (RFC 3261 §21.5.6). */
  BadVersion: 'BAD_VERSION',
  /** Status-Code not three digits 100–699. */
  BadStatus: 'BAD_STATUS',
  /** Method is not a token. */
  BadMethod: 'BAD_METHOD',
  /** Request-URI malformed, or a sip/sips Request-URI carrying a headers component. */
  BadRequestUri: 'BAD_REQUEST_URI',
  /** A header line that is not `name: value` (no colon, empty or non-token name). */
  BadHeaderLine: 'BAD_HEADER_LINE',
  /** A bare LF, or a line not ended by CRLF. */
  BadLineEnd: 'BAD_LINE_END',
  /** The header section has no closing empty line (stream framing). */
  IncompleteHeaders: 'INCOMPLETE_HEADERS',
  /** Header section larger than `maxHeaderBytes`. */
  HeaderTooLarge: 'HEADER_TOO_LARGE',
  /** Body (Content-Length) larger than `maxBodyBytes`. */
  BodyTooLarge: 'BODY_TOO_LARGE',
  /** Content-Length not a single non-negative integer, or several differing values. */
  BadContentLength: 'BAD_CONTENT_LENGTH',
  /** No Content-Length where the framing needs one (stream transports, RFC 3261 §18.3). */
  MissingContentLength: 'MISSING_CONTENT_LENGTH',
  /** Content-Length larger than the octets available (RFC 3261 §18.3: datagram → 400). */
  TruncatedBody: 'TRUNCATED_BODY',
  /** Octets after the body in a buffer that must hold exactly one message. */
  TrailingBytes: 'TRAILING_BYTES',
  /** A mandatory header is absent (Via, From, To, Call-ID, CSeq). */
  MissingHeader: 'MISSING_HEADER',
  /** A single-valued header appears more than once (From, To, Call-ID, CSeq, Max-Forwards, …). */
  DuplicateHeader: 'DUPLICATE_HEADER',
  /** CSeq malformed or its number above 2^31-1 (RFC 3261 §8.1.1.5). */
  BadCseq: 'BAD_CSEQ',
  /** CSeq method differs from the request method (RFC 3261 §8.1.1.5). */
  CseqMethodMismatch: 'CSEQ_METHOD_MISMATCH',
  /** Call-ID not `word [@ word]`. */
  BadCallId: 'BAD_CALL_ID',
  /** Max-Forwards not an integer 0–255 (RFC 3261 §20.22). */
  BadMaxForwards: 'BAD_MAX_FORWARDS',
  /** A Via value malformed. */
  BadVia: 'BAD_VIA',
  /** A URI malformed (scheme, user, host, IPv6 reference, port, escapes, parameters). */
  BadUri: 'BAD_URI',
  /** A name-addr / addr-spec malformed (display name, brackets, parameters). */
  BadNameAddr: 'BAD_NAME_ADDR',
  /** A number out of its range or not a number (Expires, Min-Expires, expires, q, ttl, …). */
  BadNumber: 'BAD_NUMBER',
  /** An authentication header malformed. */
  BadAuth: 'BAD_AUTH',
  /** Any other typed header whose value does not follow its grammar. */
  BadHeaderValue: 'BAD_HEADER_VALUE',
} as const;

export type ParseErrorCode = (typeof ParseErrorCode)[keyof typeof ParseErrorCode];

export interface SipParseErrorDetails {
  /** Octet offset in the parsed buffer, when known. */
  readonly offset?: number;
  /** Lower-case full name of the header concerned, when the problem is in a header. */
  readonly header?: string;
  readonly cause?: unknown;
}

export class SipParseError extends Error {
  override readonly name = 'SipParseError';
  readonly code: ParseErrorCode;
  readonly offset: number | undefined;
  readonly header: string | undefined;

  constructor(code: ParseErrorCode, message: string, details?: SipParseErrorDetails) {
    super(message, details?.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.offset = details?.offset;
    this.header = details?.header;
  }
}

/** The response a UAS or proxy sends for a request that failed to parse (RFC 3261 §8.2, §21). */
export function statusForParseError(error: SipParseError): 400 | 505 {
  return error.code === ParseErrorCode.BadVersion ? 505 : 400;
}
