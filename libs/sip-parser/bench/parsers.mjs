// The parsers under comparison, each wrapped as `read(input) -> Fields`: parse one message and
// read the fields the SIP stack uses (see corpus.mjs), the way that library's own code reads them.
import { createRequire } from 'node:module';

/**
 * @typedef {object} BenchParser
 * @property {string} name Row label.
 * @property {'Buffer' | 'string'} input What `read` takes.
 * @property {boolean} peer Whether the row counts as a peer for the final ratio.
 * @property {(input: Buffer | string) => import('./corpus.mjs').Fields} read
 */

/** The same field order for every parser, so that the objects share one hidden class. */
function fields(
  start,
  viaBranch,
  fromTag,
  toTag,
  callId,
  cseqSeq,
  cseqMethod,
  contact,
  expires,
  bodyLength,
) {
  return {
    start,
    viaBranch: viaBranch ?? null,
    fromTag: fromTag ?? null,
    toTag: toTag ?? null,
    callId,
    cseqSeq,
    cseqMethod,
    contactUri: contact ?? null,
    contactExpires: expires == null ? null : Number(expires),
    bodyLength,
  };
}

/**
 * sipwake's parser, on the Buffer a UDP socket hands over.
 * @param {{ parseMessage: Function }} sipwake The built `@sipwake/sip-parser`.
 */
function sipwakeRead({ parseMessage }) {
  return (bytes) => readSipwake(parseMessage(bytes, DATAGRAM));
}

const DATAGRAM = { datagram: true };

function readSipwake(msg) {
  const cseq = msg.cseq();
  const contacts = msg.contacts();
  const first = contacts === '*' ? undefined : contacts[0];
  return fields(
    msg.type === 'request' ? msg.method : msg.status,
    msg.topVia().branch,
    msg.from().tag,
    msg.to().tag,
    msg.callId(),
    cseq.seq,
    cseq.method,
    first?.uriText,
    first?.expires,
    msg.body.length,
  );
}

/**
 * sipwake's parse, field reads, then serialize. An untouched message serializes as the bytes it
 * was parsed from, so a header is set to its own value first: the serializer then rebuilds the
 * message, as it does for every message a proxy edits and forwards.
 * @param {{ parseMessage: Function, serializeMessage: Function }} sipwake
 * @param {Buffer} bytes
 * @returns {{ fields: import('./corpus.mjs').Fields, out: Buffer }}
 */
export function sipwakeRoundTrip({ parseMessage, serializeMessage }, bytes) {
  const msg = parseMessage(bytes, DATAGRAM);
  const read = readSipwake(msg);
  msg.headers.set('Call-ID', read.callId);
  return { fields: read, out: serializeMessage(msg) };
}

function sipwakeRoundTripRead(sipwake) {
  return (bytes) => {
    const { fields: read, out } = sipwakeRoundTrip(sipwake, bytes);
    if (out.length === 0) throw new Error('serializeMessage returned no bytes');
    return read;
  };
}

/** npm `sip` (kirm/sip.js): `parse(string)` returns plain objects, header values parsed eagerly. */
function sipRead(sip) {
  return (text) => {
    const m = sip.parse(text);
    const h = m.headers;
    const via = h.via[0];
    const contact = Array.isArray(h.contact) ? h.contact[0] : undefined;
    return fields(
      m.method ?? m.status,
      via.params.branch,
      h.from.params.tag,
      h.to.params.tag,
      h['call-id'],
      h.cseq.seq,
      h.cseq.method,
      contact?.uri,
      contact?.params.expires,
      m.content.length,
    );
  };
}

const quietLogger = { error() {}, warn() {}, log() {}, debug() {} };

/**
 * JsSIP: `Parser.parseMessage(data, ua)`. Its PEG grammar parses the start line, the first Via,
 * From, To, Call-ID, CSeq, Contact and Content-Length while it splits the headers.
 */
function jssipRead(parser) {
  return (text) => {
    const m = parser.parseMessage(text, undefined);
    const cseq = m.parseHeader('cseq');
    const contact = m.headers.Contact?.[0].parsed;
    return fields(
      m.status_code || m.method,
      m.via_branch,
      m.from_tag,
      m.to_tag,
      m.call_id,
      cseq.value,
      cseq.method,
      contact?.uri.toString(),
      contact?.getParam('expires'),
      m.body.length,
    );
  };
}

/** SIP.js: `Core.Parser.parseMessage(data, logger)`, JsSIP's design in TypeScript. */
function sipjsRead(parser) {
  return (text) => {
    const m = parser.parseMessage(text, quietLogger);
    const cseq = m.parseHeader('cseq');
    const contact = m.headers.Contact?.[0].parsed;
    return fields(
      m.statusCode || m.method,
      m.viaBranch,
      m.fromTag,
      m.toTag,
      m.callId,
      cseq.value,
      cseq.method,
      contact?.uri.toString(),
      contact?.getParam('expires'),
      m.body.length,
    );
  };
}

/**
 * Loads the peers from the workspace's node_modules.
 * @param {{ parseMessage: Function, serializeMessage: Function }} sipwake The built parser.
 * @returns {Promise<BenchParser[]>}
 */
export async function loadParsers(sipwake) {
  const require = createRequire(import.meta.url);
  const sip = require('sip');
  const jssip = require('jssip/lib/Parser');
  const { Core } = await import('sip.js');
  return [
    { name: 'sipwake', input: 'Buffer', peer: false, read: sipwakeRead(sipwake) },
    {
      name: 'sipwake parse+serialize',
      input: 'Buffer',
      peer: false,
      read: sipwakeRoundTripRead(sipwake),
    },
    { name: 'sip (npm)', input: 'string', peer: true, read: sipRead(sip) },
    // JsSIP's parser needs no UA: the UA is only stored on an incoming request.
    { name: 'JsSIP', input: 'string', peer: true, read: jssipRead(jssip) },
    { name: 'SIP.js', input: 'string', peer: true, read: sipjsRead(Core.Parser) },
  ];
}
