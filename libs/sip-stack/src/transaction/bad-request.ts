// The answer to a request that does not parse (RFC 3261 §8.2, §21.4.1 400, §21.5.6 505): the
// Via, From, To, Call-ID and CSeq header field lines found leniently in the raw bytes, copied as
// they are into a response with a To tag, sent where the raw top Via says (§18.2.2). A message
// that is not a request, an ACK (§17.1.1.3: never answered), or one without those lines gets
// no answer.
import {
  createRequest,
  ParseErrorCode,
  SipParseError,
  statusForParseError,
  type Via,
} from '@sipwake/sip-parser';
import type { Flow, SendTarget } from '../transport/types.js';
import { receivedParams, responseTarget, setFirstViaParams } from '../transport/via.js';

/** The header fields a response copies (§8.2.6.2), each as its raw text without line ends. */
export interface RawRequestFields {
  readonly method: string;
  /** Every Via field, in order; each field is its physical lines (folded ones after the first). */
  readonly via: readonly (readonly string[])[];
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly callId: readonly string[];
  readonly cseq: readonly string[];
}

export interface BadRequestAnswer {
  readonly status: 400 | 505;
  readonly reason: string;
  readonly bytes: Buffer;
  readonly target: SendTarget;
}

/** `METHOD SP Request-URI SP SIP/…`, leniently: a token, then anything, then a SIP version. */
const REQUEST_LINE = /^([A-Za-z0-9!%*_+`'~.-]+) +\S.* +SIP\/\S*\s*$/i;
const COMPACT: Readonly<Record<string, string>> = { v: 'via', f: 'from', t: 'to', i: 'call-id' };

/**
 * The request's method and the raw lines of its Via, From, To, Call-ID and CSeq fields
 * (compact names accepted, folded lines kept, CRLF or LF line ends); undefined when the bytes
 * are no request or a field is missing or holds a control character.
 */
export function rawRequestFields(bytes: Buffer): RawRequestFields | undefined {
  const text = bytes.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const lines = (end < 0 ? text : text.slice(0, end)).split(/\r?\n/);
  const method = REQUEST_LINE.exec(lines[0] ?? '')?.[1];
  if (method === undefined) return undefined;
  const fields: string[][] = [];
  for (const line of lines.slice(1)) {
    // RFC 3261 §7.3.1: a line that starts with whitespace continues the field above.
    const last = fields.at(-1);
    if (/^[ \t]/.test(line) && last) last.push(line);
    else fields.push([line]);
  }
  const named = (name: string): string[][] =>
    fields.filter((field) => {
      const colon = field[0]!.indexOf(':');
      if (colon <= 0) return false;
      const raw = field[0]!.slice(0, colon).trim().toLowerCase();
      return (COMPACT[raw] ?? raw) === name;
    });
  const via = named('via');
  const [from, to, callId, cseq] = ['from', 'to', 'call-id', 'cseq'].map((n) => named(n)[0]);
  if (via.length === 0 || !from || !to || !callId || !cseq) return undefined;
  if ([...via, from, to, callId, cseq].some((field) => field.some(hasControl))) {
    return undefined;
  }
  return { method, via, from, to, callId, cseq };
}

/** The status and reason phrase for a parse error: short, fixed text naming what was wrong. */
export function badRequestStatus(error: Error): { status: 400 | 505; reason: string } {
  if (!(error instanceof SipParseError)) return { status: 400, reason: 'Bad Request' };
  const status = statusForParseError(error);
  if (status === 505) return { status, reason: 'Version Not Supported' };
  const header = headerLabel(error.header);
  const reason = (REASONS[error.code] ?? (() => 'Bad Request'))(header);
  return { status, reason };
}

/**
 * The response to an unparseable request that arrived on `flow`, or undefined when there is no
 * request to answer. `toTag` is added to To unless it has a tag (§8.2.6.2).
 */
export function answerBadRequest(
  bytes: Buffer,
  error: Error,
  flow: Flow,
  toTag: string,
): BadRequestAnswer | undefined {
  const fields = rawRequestFields(bytes);
  // RFC 3261 §17.1.1.3: an ACK is never answered.
  if (!fields || fields.method.toUpperCase() === 'ACK') return undefined;
  const { status, reason } = badRequestStatus(error);
  const [topVia = [], ...otherVias] = fields.via;
  const unfolded = topVia.map((line, i) => (i === 0 ? line : line.trim())).join(' ');
  const colon = unfolded.indexOf(':');
  const via = parseVia(unfolded.slice(colon + 1).trim());
  // §18.2.1/RFC 3581 as for any request received; a Via that cannot be read: back to the source.
  const params = via && receivedParams(via, flow.remote);
  const stampedTop = params ? [setFirstViaParams(unfolded, params)] : topVia;
  const stamped = params ? parseVia(stampedTop[0]!.slice(colon + 1).trim()) : via;
  const target: SendTarget = stamped
    ? responseTarget(stamped, flow)
    : {
        protocol: flow.protocol,
        address: flow.remote.address,
        port: flow.remote.port,
        ...(flow.connectionId === undefined ? {} : { connectionId: flow.connectionId }),
      };
  const lines = [
    `SIP/2.0 ${status} ${reason}`,
    ...stampedTop,
    ...otherVias.flat(),
    ...fields.from,
    ...withToTag(fields.to, toTag),
    ...fields.callId,
    ...fields.cseq,
    'Content-Length: 0',
    '',
    '',
  ];
  return { status, reason, bytes: Buffer.from(lines.join('\r\n'), 'latin1'), target };
}

/** Any control character but HT: such a line cannot be copied into a response. */
function hasControl(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

function parseVia(value: string): Via | undefined {
  try {
    return createRequest({ method: 'OPTIONS', uri: 'sip:x', headers: [['Via', value]] }).topVia();
  } catch {
    return undefined;
  }
}

/** The To field with `;tag=` added at its end, unless it has a tag after its URI already. */
function withToTag(to: readonly string[], toTag: string): string[] {
  const text = to.join(' ');
  const afterUri = text.slice(text.lastIndexOf('>') + 1);
  if (/;\s*tag\s*=/i.test(afterUri)) return [...to];
  const lines = [...to];
  lines[lines.length - 1] = `${lines.at(-1)!.trimEnd()};tag=${toTag}`;
  return lines;
}

const SPECIAL_NAMES: Readonly<Record<string, string>> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
};

/** A header name as a reason phrase shows it: letters, digits and dashes only, 32 at most. */
function headerLabel(name: string | undefined): string | undefined {
  if (name === undefined || !/^[a-z0-9][a-z0-9-]{0,31}$/i.test(name)) return undefined;
  const lower = name.toLowerCase();
  return (
    SPECIAL_NAMES[lower] ??
    lower
      .split('-')
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('-')
  );
}

const bad =
  (what: string) =>
  (header: string | undefined): string =>
    `Bad ${header ?? what}`;

/** RFC 3261 §21.4.1: "The reason phrase SHOULD identify the syntax problem in more detail". */
const REASONS: Partial<Record<ParseErrorCode, (header: string | undefined) => string>> = {
  [ParseErrorCode.BadStartLine]: () => 'Bad Request-Line',
  [ParseErrorCode.BadMethod]: () => 'Bad Method',
  [ParseErrorCode.BadRequestUri]: () => 'Bad Request-URI',
  [ParseErrorCode.BadHeaderLine]: () => 'Bad Header Line',
  [ParseErrorCode.BadLineEnd]: () => 'Bad Line End',
  [ParseErrorCode.IncompleteHeaders]: () => 'Incomplete Header Section',
  [ParseErrorCode.HeaderTooLarge]: () => 'Header Section Too Large',
  [ParseErrorCode.BodyTooLarge]: () => 'Body Too Large',
  [ParseErrorCode.BadContentLength]: () => 'Bad Content-Length',
  [ParseErrorCode.MissingContentLength]: () => 'Missing Content-Length',
  [ParseErrorCode.TruncatedBody]: () => 'Body Shorter Than Content-Length',
  [ParseErrorCode.TrailingBytes]: () => 'Bytes After The Body',
  [ParseErrorCode.MissingHeader]: (header) => `Missing ${header ?? 'Header'}`,
  [ParseErrorCode.DuplicateHeader]: (header) => `Duplicate ${header ?? 'Header'}`,
  [ParseErrorCode.BadCseq]: () => 'Bad CSeq',
  [ParseErrorCode.CseqMethodMismatch]: () => 'CSeq Method Mismatch',
  [ParseErrorCode.BadCallId]: () => 'Bad Call-ID',
  [ParseErrorCode.BadMaxForwards]: () => 'Bad Max-Forwards',
  [ParseErrorCode.BadVia]: () => 'Bad Via',
  [ParseErrorCode.BadUri]: bad('URI'),
  [ParseErrorCode.BadNameAddr]: bad('Address'),
  [ParseErrorCode.BadNumber]: bad('Number'),
  [ParseErrorCode.BadAuth]: bad('Credentials'),
  [ParseErrorCode.BadHeaderValue]: bad('Header Value'),
};
