// Just enough SIP text handling for tests that talk to a real peer by hand (a probe OPTIONS, a
// responder that answers SIPp). Not a parser: the SIP layers use @sipwake/sip-parser.
import { randomBytes } from 'node:crypto';

const COMPACT: Readonly<Record<string, string>> = {
  v: 'via',
  f: 'from',
  t: 'to',
  i: 'call-id',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
};

/** The first line of a SIP message. */
export function sipStartLine(text: string): string {
  const end = text.indexOf('\r\n');
  return end < 0 ? text : text.slice(0, end);
}

/** The status code of a response, undefined for a request. */
export function sipStatus(text: string): number | undefined {
  const match = /^SIP\/2\.0 (\d{3}) /.exec(sipStartLine(text));
  return match ? Number(match[1]) : undefined;
}

/** The method of a request, undefined for a response. */
export function sipMethod(text: string): string | undefined {
  const match = /^([A-Za-z]+) \S+ SIP\/2\.0$/.exec(sipStartLine(text));
  return match ? match[1] : undefined;
}

/** Every value of a header field (compact forms matched; one entry per field line). */
export function sipHeaders(text: string, name: string): string[] {
  const wanted = name.toLowerCase();
  const headEnd = text.indexOf('\r\n\r\n');
  const head = headEnd < 0 ? text : text.slice(0, headEnd);
  const values: string[] = [];
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const field = line.slice(0, colon).trim().toLowerCase();
    if ((COMPACT[field] ?? field) === wanted) values.push(line.slice(colon + 1).trim());
  }
  return values;
}

export function sipHeader(text: string, name: string): string | undefined {
  return sipHeaders(text, name)[0];
}

export interface ResponseOptions {
  /** Added to To when it has no tag yet. */
  readonly toTag?: string;
  readonly headers?: readonly string[];
  readonly body?: string;
}

/** A response to `request` (Via, From, To, Call-ID, CSeq copied, RFC 3261 §8.2.6.2). */
export function sipResponseFor(
  request: string,
  status: number,
  reason: string,
  options: ResponseOptions = {},
): string {
  const body = options.body ?? '';
  const to = sipHeader(request, 'to') ?? '';
  const lines = [
    `SIP/2.0 ${status} ${reason}`,
    ...sipHeaders(request, 'via').map((v) => `Via: ${v}`),
    `From: ${sipHeader(request, 'from') ?? ''}`,
    `To: ${options.toTag && !/;\s*tag=/i.test(to) ? `${to};tag=${options.toTag}` : to}`,
    `Call-ID: ${sipHeader(request, 'call-id') ?? ''}`,
    `CSeq: ${sipHeader(request, 'cseq') ?? ''}`,
    ...(options.headers ?? []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ];
  return lines.join('\r\n');
}

export interface RequestOptions {
  readonly method: string;
  readonly uri: string;
  /** Where the sender listens: goes into Via and Contact. */
  readonly local: { readonly address: string; readonly port: number; readonly transport?: string };
  readonly from: string;
  readonly to: string;
  readonly callId?: string;
  readonly cseq?: number;
  readonly headers?: readonly string[];
  readonly body?: string;
}

/** A request with a fresh RFC 3261 branch, a From tag and Max-Forwards. */
export function sipRequest(options: RequestOptions): string {
  const body = options.body ?? '';
  const transport = (options.local.transport ?? 'UDP').toUpperCase();
  const lines = [
    `${options.method} ${options.uri} SIP/2.0`,
    `Via: SIP/2.0/${transport} ${options.local.address}:${options.local.port};branch=z9hG4bK${token()};rport`,
    'Max-Forwards: 70',
    `From: <${options.from}>;tag=${token()}`,
    `To: <${options.to}>`,
    `Call-ID: ${options.callId ?? `${token()}@testkit`}`,
    `CSeq: ${options.cseq ?? 1} ${options.method}`,
    ...(options.headers ?? []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ];
  return lines.join('\r\n');
}

function token(): string {
  return randomBytes(6).toString('hex');
}
