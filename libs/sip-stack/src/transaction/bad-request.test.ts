import { ParseErrorCode, parseMessage, SipParseError } from '@sipwake/sip-parser';
import type { Flow } from '../transport/types.js';
import { answerBadRequest, badRequestStatus, rawRequestFields } from './bad-request.js';

const udpFlow: Flow = {
  protocol: 'udp',
  local: { address: '127.0.0.1', port: 5060 },
  remote: { address: '192.0.2.7', port: 40000 },
};

const tcpFlow: Flow = { ...udpFlow, protocol: 'tcp', connectionId: 'tcp-0000abcd-1' };

/** Request text from lines (CRLF line ends unless told). */
function text(lines: readonly string[], eol = '\r\n'): Buffer {
  return Buffer.from([...lines, '', ''].join(eol), 'latin1');
}

const brokenCseq = [
  'INVITE sip:bob@127.0.0.1 SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.7:5070;branch=z9hG4bK-bad1;rport',
  'Via: SIP/2.0/UDP 198.51.100.1;branch=z9hG4bK-proxy',
  'Max-Forwards: 70',
  'From: "Alice" <sip:alice@example.test>;tag=a1',
  'To: <sip:bob@example.test>',
  'Call-ID: broken-cseq@192.0.2.7',
  'CSeq: abc INVITE',
  'Content-Length: 0',
];

/** The error the parser gives for these bytes. */
function parseError(bytes: Buffer): SipParseError {
  try {
    parseMessage(bytes, { datagram: true });
  } catch (error) {
    if (error instanceof SipParseError) return error;
  }
  throw new Error('the bytes parse');
}

/** The response's lines, without the empty ones at the end. */
function lines(bytes: Buffer): string[] {
  return bytes.toString('latin1').split('\r\n').slice(0, -2);
}

describe('answering a request that does not parse', () => {
  it('answers a broken CSeq 400 "Bad CSeq", copying Via, From, To, Call-ID and CSeq as written', () => {
    const bytes = text(brokenCseq);
    const answer = answerBadRequest(bytes, parseError(bytes), udpFlow, 'tag400');
    expect(answer).toBeDefined();
    expect(lines(answer!.bytes)).toEqual([
      'SIP/2.0 400 Bad CSeq',
      // RFC 3581 §4 and §18.2.1 as for any request received: rport and received on the top Via.
      'Via: SIP/2.0/UDP 192.0.2.7:5070;branch=z9hG4bK-bad1;rport=40000;received=192.0.2.7',
      'Via: SIP/2.0/UDP 198.51.100.1;branch=z9hG4bK-proxy',
      'From: "Alice" <sip:alice@example.test>;tag=a1',
      'To: <sip:bob@example.test>;tag=tag400',
      'Call-ID: broken-cseq@192.0.2.7',
      'CSeq: abc INVITE',
      'Content-Length: 0',
    ]);
    // RFC 3581 §4: to the source address and port.
    expect(answer!.target).toEqual({ protocol: 'udp', address: '192.0.2.7', port: 40000 });
  });

  it('reads compact names (v f t i) and folded lines, and keeps the folds', () => {
    const bytes = text([
      'MESSAGE sip:bob@127.0.0.1 SIP/2.0',
      'v: SIP/2.0/UDP 192.0.2.7:5070',
      ' ;branch=z9hG4bK-folded',
      'f: <sip:alice@example.test>',
      '\t;tag=a2',
      't : <sip:bob@example.test>',
      'i: compact@192.0.2.7',
      'CSeq: 1 INVITE',
      'l: 0',
    ]);
    const fields = rawRequestFields(bytes);
    expect(fields).toEqual({
      method: 'MESSAGE',
      via: [['v: SIP/2.0/UDP 192.0.2.7:5070', ' ;branch=z9hG4bK-folded']],
      from: ['f: <sip:alice@example.test>', '\t;tag=a2'],
      to: ['t : <sip:bob@example.test>'],
      callId: ['i: compact@192.0.2.7'],
      cseq: ['CSeq: 1 INVITE'],
    });
    const answer = answerBadRequest(bytes, parseError(bytes), udpFlow, 'tagC');
    expect(lines(answer!.bytes)).toEqual([
      'SIP/2.0 400 CSeq Method Mismatch',
      // The top Via gets received (192.0.2.7 is the source, so none): its folds stay.
      'v: SIP/2.0/UDP 192.0.2.7:5070',
      ' ;branch=z9hG4bK-folded',
      'f: <sip:alice@example.test>',
      '\t;tag=a2',
      't : <sip:bob@example.test>;tag=tagC',
      'i: compact@192.0.2.7',
      'CSeq: 1 INVITE',
      'Content-Length: 0',
    ]);
    // No rport: the sent-by port (§18.2.2).
    expect(answer!.target).toEqual({ protocol: 'udp', address: '192.0.2.7', port: 5070 });
  });

  it('takes LF line ends, and keeps a To tag the request has', () => {
    const bytes = text(
      brokenCseq.map((l) => (l.startsWith('To:') ? 'To: <sip:bob@example.test>;tag=ours' : l)),
      '\n',
    );
    const answer = answerBadRequest(bytes, new Error('anything'), udpFlow, 'unused');
    expect(lines(answer!.bytes)).toContain('To: <sip:bob@example.test>;tag=ours');
    expect(answer!.bytes.toString()).not.toContain('unused');
    expect(answer!.reason).toBe('Bad Request');
  });

  it('answers 505 to another SIP version', () => {
    const bytes = text(
      brokenCseq.map((l, i) => (i === 0 ? 'INVITE sip:bob@127.0.0.1 SIP/3.0' : l)),
    );
    const answer = answerBadRequest(bytes, parseError(bytes), udpFlow, 't');
    expect([answer!.status, answer!.reason]).toEqual([505, 'Version Not Supported']);
  });

  it('sends back to the source when the top Via cannot be read, on the same connection', () => {
    const bytes = text(brokenCseq.map((l, i) => (i === 1 ? 'Via: this is no via' : l)));
    const answer = answerBadRequest(bytes, parseError(bytes), tcpFlow, 't');
    expect(lines(answer!.bytes)[1]).toBe('Via: this is no via');
    expect(answer!.target).toEqual({
      protocol: 'tcp',
      address: '192.0.2.7',
      port: 40000,
      connectionId: 'tcp-0000abcd-1',
    });
  });

  it.each([
    ['without a Via', brokenCseq.filter((l) => !l.startsWith('Via'))],
    ['without a Call-ID', brokenCseq.filter((l) => !l.startsWith('Call-ID'))],
    ['for an ACK', brokenCseq.map((l, i) => (i === 0 ? 'ACK sip:bob@127.0.0.1 SIP/2.0' : l))],
    ['for a response', ['SIP/2.0 200 OK', ...brokenCseq.slice(1)]],
    ['for garbage', ['not SIP at all', 'Via: x']],
    [
      'with a control character in From',
      brokenCseq.map((l) => (l.startsWith('From') ? `${l}\0` : l)),
    ],
  ])('gives no answer %s', (_what, request) => {
    const bytes = text(request);
    expect(answerBadRequest(bytes, new Error('x'), udpFlow, 't')).toBeUndefined();
  });
});

describe('the reason phrase of a 400', () => {
  it.each([
    [ParseErrorCode.MissingHeader, 'from', 'Missing From'],
    [ParseErrorCode.DuplicateHeader, 'call-id', 'Duplicate Call-ID'],
    [ParseErrorCode.BadNumber, 'expires', 'Bad Expires'],
    [ParseErrorCode.BadUri, 'www-authenticate', 'Bad WWW-Authenticate'],
    [ParseErrorCode.BadUri, undefined, 'Bad URI'],
    [ParseErrorCode.BadMaxForwards, 'max-forwards', 'Bad Max-Forwards'],
    [ParseErrorCode.BadContentLength, undefined, 'Bad Content-Length'],
    [ParseErrorCode.BadRequestUri, undefined, 'Bad Request-URI'],
  ])('names what was wrong: %s %s → %s', (code, header, reason) => {
    const error = new SipParseError(code, 'detail text', { header });
    expect(badRequestStatus(error)).toEqual({ status: 400, reason });
  });

  it('never echoes the error text or a header name that is not plain', () => {
    const hostile = 'x\r\nContact: <sip:evil@example.test>';
    const error = new SipParseError(ParseErrorCode.BadHeaderValue, hostile, { header: hostile });
    expect(badRequestStatus(error)).toEqual({ status: 400, reason: 'Bad Header Value' });
    const long = new SipParseError(ParseErrorCode.BadNumber, 'n', { header: 'a'.repeat(40) });
    expect(badRequestStatus(long).reason).toBe('Bad Number');
  });
});
