// One checker per key of the torture manifest's `values`: what the parser exposes for it.
// A key without a checker fails the suite, so every listed value is checked.
import { serializeMessage } from '../serialize.js';
import type { Contact, SipMessage, SipRequest, SipResponse, Via } from '../types.js';

type Checker = (msg: SipMessage, expected: unknown) => void;

const req = (m: SipMessage): SipRequest => {
  expect(m.type).toBe('request');
  return m as SipRequest;
};
const contacts = (m: SipMessage): readonly Contact[] => {
  const c = m.contacts();
  if (c === '*') throw new Error('wildcard contact');
  return c;
};
const hex = (s: string | undefined, enc: BufferEncoding = 'latin1'): string =>
  Buffer.from(s ?? '', enc).toString('hex');
const lowerKeys = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));
const sentBy = (v: Via): string => (v.port === undefined ? v.host : `${v.host}:${v.port}`);
const plain = (o: object): Record<string, unknown> => ({ ...o });
const bodyText = (m: SipMessage): string => m.body.toString('latin1');
const undef = (v: unknown): unknown => (v === null ? undefined : v);

function viaMatches(v: Via, e: Record<string, unknown>): void {
  if ('transport' in e) expect(v.transport).toBe(e.transport);
  if ('host' in e) expect(v.host).toBe(e.host);
  if ('port' in e) expect(v.port).toBe(e.port);
  if ('branch' in e) expect(v.branch).toBe(e.branch);
  if ('received' in e) expect(v.received).toBe(e.received);
  if ('sent_by' in e) expect(sentBy(v)).toBe(e.sent_by);
}

/** Parts of a multipart body (RFC 2046), split on the boundary of its Content-Type. */
function multipart(m: SipMessage): Buffer[] {
  const ct = m.headers.get('content-type') ?? '';
  const boundary = /boundary=("?)([^";]+)\1/.exec(ct)?.[2];
  if (boundary === undefined) throw new Error('no boundary');
  const delim = Buffer.from(`\r\n--${boundary}`, 'latin1');
  const body = Buffer.concat([Buffer.from('\r\n'), m.body]);
  const parts: Buffer[] = [];
  let at = body.indexOf(delim);
  while (at >= 0) {
    const start = body.indexOf('\r\n', at + delim.length) + 2;
    const next = body.indexOf(delim, start);
    if (next < 0) break;
    parts.push(body.subarray(start, next));
    at = next;
  }
  return parts;
}

export const CHECKERS: Readonly<Record<string, Checker>> = {
  NewFangledHeader: (m, e) => expect(m.headers.get('NewFangledHeader')).toBe(e),
  UnknownHeaderWithUnusualValue: (m, e) =>
    expect(m.headers.get('unknownheaderwithunusualvalue')).toBe(e),
  accept: (m, e) =>
    Array.isArray(e)
      ? expect(m.headers.getAll('accept').flatMap((v) => v.split(/\s*,\s*/))).toEqual(e)
      : expect(m.headers.get('accept')).toBe(e),
  aor_user_unescaped_octets_hex: (m, e) => expect(hex(m.to().uri.user)).toBe(e),
  authorization: (m, e) => {
    expect(m.headers.get('authorization')).toBe(e);
    const [scheme, rest] = String(e).split(' ');
    const [name, value] = rest!.split('=');
    expect(m.authorization()[0]).toMatchObject({ scheme, params: { [name!]: value } });
  },
  body_length_by_datagram: (m, e) => expect(m.body.length).toBe(e),
  body_parts: (m, e) => expect(multipart(m).length).toBe(e),
  part2_content_type: (m, e) => {
    const head = multipart(m)[1]!.toString('latin1').split('\r\n\r\n')[0]!;
    expect(head).toMatch(new RegExp(`^Content-Type: ${String(e)}$`, 'im'));
  },
  part2_binary_octets: (m, e) => {
    const part = multipart(m)[1]!;
    expect(part.length - (part.indexOf('\r\n\r\n') + 4)).toBe(e);
  },
  bottom_via: (m, e) => viaMatches(m.via()[m.via().length - 1]!, e as Record<string, unknown>),
  call_id: (m, e) => expect(m.callId()).toBe(e),
  contact_display_name: (m, e) => expect(contacts(m)[0]!.displayName).toBe(e),
  contact_params: (m, e) => expect(plain(contacts(m)[0]!.params)).toEqual(e),
  contact_raw: (m, e) => expect(m.headers.get('contact')).toBe(e),
  contact_uri: (m, e) => expect(contacts(m)[0]!.uriText).toBe(e),
  contact_uri_headers_unescaped: (m, e) => expect(plain(contacts(m)[0]!.uri.headers)).toEqual(e),
  contact_uri_params: (m, e) => expect(plain(contacts(m)[0]!.uri.params)).toEqual(e),
  contact_uri_params_unescaped: (m, e) => expect(plain(contacts(m)[0]!.uri.params)).toEqual(e),
  contact_user_unescaped: (m, e) => expect(contacts(m)[0]!.uri.user).toBe(e),
  contacts: (m, e) => expect(contacts(m).map((c) => `<${c.uriText}>`)).toEqual(e),
  content_length: (m, e) => {
    if (e === null) expect(m.headers.has('content-length')).toBe(false);
    else expect(m.contentLength()).toBe(e);
  },
  content_length_raw: (m, e) => {
    expect(m.raw!.toString('latin1')).toContain(`\r\n${String(e)}\r\n`);
    expect(m.contentLength()).toBe(Number(String(e).split(':')[1]));
  },
  content_type: (m, e) => {
    const text = String(e).replace(/ \(.*\)$/, '');
    if (text.includes(';')) expect(m.headers.get('content-type')).toBe(text);
    expect(m.contentType()).toBe(text.split(';')[0]);
  },
  cseq_method: (m, e) => expect(m.cseq().method).toBe(e),
  cseq_number: (m, e) => expect(m.cseq().seq).toBe(e),
  // RFC 5118 §4.10: the tolerated ":::" reference names the address written with "::".
  equivalent_address: (m, e) =>
    expect(req(m).requestUri().host.slice(1, -1).replace(':::', '::')).toBe(e),
  extension_header: (m, e) => {
    const { name, value } = e as { name: string; value: string };
    expect(m.headers.get(name)).toBe(value);
    expect(contacts(m).map((c) => c.uriText)).not.toContain(value.slice(1, -1));
  },
  extension_header_name: (m, e) => expect(m.headers.has(String(e))).toBe(true),
  extension_header_value_octets_hex: (m, e) =>
    expect(hex(m.headers.get("extensionHeader-!.%*+_`'~"), 'utf8')).toBe(e),
  from_display_name: (m, e) => expect(m.from().displayName).toBe(e),
  from_param_name: (m, e) => expect(m.from().params[String(e).toLowerCase()]).toBeDefined(),
  from_param_value: (m, e) => expect(Object.values(m.from().params)).toContain(e),
  from_params: (m, e) =>
    expect(plain(m.from().params)).toMatchObject(lowerKeys(e as Record<string, unknown>)),
  from_tag: (m, e) => expect(m.from().tag).toBe(undef(e)),
  from_uri: (m, e) => expect(m.from().uriText).toBe(e),
  from_user_unescaped: (m, e) => expect(m.from().uri.user).toBe(e),
  max_forwards: (m, e) => expect(m.maxForwards()).toBe(undef(e)),
  message_body_length: (m, e) => expect(m.body.length).toBe(e),
  method: (m, e) => expect(req(m).method).toBe(e),
  proxy_require: (m, e) =>
    expect(m.headers.getAll('proxy-require').flatMap((v) => v.split(/\s*,\s*/))).toEqual(e),
  reason_phrase: (m, e) => expect((m as SipResponse).reason).toBe(e),
  request_uri: (m, e) => expect(req(m).uri).toBe(e),
  request_uri_host: (m, e) => expect(req(m).requestUri().host).toBe(e),
  request_uri_params: (m, e) => expect(plain(req(m).requestUri().params)).toEqual(e),
  request_uri_password: (m, e) => expect(req(m).requestUri().password).toBe(e),
  request_uri_port: (m, e) => expect(req(m).requestUri().port).toBe(undef(e)),
  request_uri_scheme: (m, e) => expect(req(m).requestUri().scheme).toBe(String(e).toLowerCase()),
  request_uri_user: (m, e) => expect(req(m).requestUri().user).toBe(e),
  request_uri_user_unescaped: (m, e) => expect(req(m).requestUri().user).toBe(e),
  require: (m, e) => expect(m.require()).toEqual((e as string[]).map((t) => t.toLowerCase())),
  route: (m, e) => {
    expect(m.headers.get('route')).toBe(e);
    expect(`<${m.route()[0]!.uriText}>`).toBe(e);
  },
  sdp_connection: (m, e) => expect(bodyText(m)).toContain(`c=${String(e)}\r\n`),
  sdp_connections: (m, e) =>
    expect(
      bodyText(m)
        .match(/^c=.*$/gm)!
        .map((l) => l.slice(2)),
    ).toEqual(e),
  sdp_origin_address: (m, e) =>
    expect(bodyText(m)).toMatch(new RegExp(`^o=.* ${String(e)}\r$`, 'm')),
  second_via_host: (m, e) => expect(m.via()[1]!.host).toBe(e),
  status: (m, e) => expect((m as SipResponse).status).toBe(e),
  subject: (m, e) => expect(m.headers.get('subject')).toBe(e),
  to_display_name: (m, e) => expect(m.to().displayName).toBe(e),
  to_display_name_octets_hex: (m, e) => expect(hex(m.to().displayName)).toBe(e),
  to_tag: (m, e) => expect(m.to().tag).toBe(undef(e)),
  to_uri: (m, e) => expect(m.to().uriText).toBe(e),
  to_user_unescaped: (m, e) => expect(m.to().uri.user).toBe(e),
  topmost_via_host: (m, e) => expect(m.topVia().host).toBe(e),
  trailing_octets_after_message: (m, e) =>
    expect(m.raw!.length - serializeMessage(m).length).toBe(e),
  unknown_header_name: (m, e) => expect(m.headers.has(String(e))).toBe(true),
  via: (m, e) => {
    const list = e as Record<string, unknown>[];
    expect(m.via()).toHaveLength(list.length);
    list.forEach((v, k) => viaMatches(m.via()[k]!, v));
  },
  via_branch: (m, e) => expect(m.topVia().branch).toBe(undef(e)),
  via_params: (m, e) => expect(plain(m.topVia().params)).toEqual(e),
  via_received: (m, e) => expect(m.topVia().received).toBe(e),
  via_received_raw: (m, e) => expect(m.topVia().params.received).toBe(e),
  via_sent_by: (m, e) => expect(sentBy(m.topVia())).toBe(e),
  via_transport: (m, e) => expect(m.topVia().transport).toBe(e),
};
