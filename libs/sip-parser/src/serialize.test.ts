import {
  createRequest,
  createResponse,
  parseMessage,
  serializeMessage,
  SipParseError,
} from './index.js';
import type { SipMessage, SipRequest, SipResponse } from './index.js';
import { INVITE, REGISTER, TYPICAL } from './test-support/messages.js';

const fields = (m: SipMessage) => m.headers.entries().filter(([n]) => n !== 'content-length');

describe('serializeMessage', () => {
  test('an untouched parsed message is its own bytes', () => {
    for (const bytes of TYPICAL)
      expect(serializeMessage(parseMessage(bytes)).equals(bytes)).toBe(true);
  });

  test('a datagram goes out without the octets after its Content-Length', () => {
    const padded = Buffer.concat([REGISTER, Buffer.from('trailing noise')]);
    const out = serializeMessage(parseMessage(padded, { datagram: true }));
    expect(out.equals(REGISTER)).toBe(true);
  });

  test('an edited message is rebuilt: full names, one Content-Length, same values', () => {
    const compact = Buffer.from(
      'MESSAGE sip:b@c SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nf: <sip:a@b>;tag=1\r\n' +
        't: <sip:b@c>\r\ni: x@y\r\nCSeq: 1 MESSAGE\r\nSubject: folded\r\n  line\r\nl: 2\r\n\r\nhi',
    );
    const msg = parseMessage(compact);
    msg.headers.set('Subject', 'plain');
    const text = serializeMessage(msg).toString();
    expect(text).toBe(
      'MESSAGE sip:b@c SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n' +
        'To: <sip:b@c>\r\nCall-ID: x@y\r\nCSeq: 1 MESSAGE\r\nSubject: plain\r\nContent-Length: 2\r\n\r\nhi',
    );
  });

  test('a re-serialized message parses to the same start line, fields and body', () => {
    for (const bytes of TYPICAL) {
      const msg = parseMessage(bytes);
      msg.headers.append('X-Test', '1');
      const again = parseMessage(serializeMessage(msg));
      expect(again.type).toBe(msg.type);
      expect(fields(again)).toEqual(fields(msg));
      expect(again.body.equals(msg.body)).toBe(true);
    }
  });

  test('a new body gets a matching Content-Length', () => {
    const msg = parseMessage(INVITE) as SipRequest;
    msg.body = Buffer.from('v=0\r\n');
    const again = parseMessage(serializeMessage(msg));
    expect(again.contentLength()).toBe(5);
    expect(again.body.toString()).toBe('v=0\r\n');
  });

  test('start line edits are serialized', () => {
    const msg = parseMessage(INVITE) as SipRequest;
    msg.uri = 'sip:bob@192.0.2.4:5060';
    const again = parseMessage(serializeMessage(msg)) as SipRequest;
    expect(again.uri).toBe('sip:bob@192.0.2.4:5060');
    expect(again.requestUri().port).toBe(5060);
    expect(msg.requestUri().host).toBe('192.0.2.4');
  });

  test('an edit changes only the edited line: the others are the received octets', () => {
    for (const bytes of TYPICAL) {
      const msg = parseMessage(bytes);
      msg.headers.set('Call-ID', 'edited@example.com');
      const text = bytes.toString('latin1');
      const expected = text.replace(
        /\r\nCall-ID: [^\r]*\r\n/,
        '\r\nCall-ID: edited@example.com\r\n',
      );
      expect(expected).not.toBe(text);
      expect(serializeMessage(msg).toString('latin1')).toBe(expected);
    }
  });

  test('prepend, append, delete and several values keep the untouched lines in order', () => {
    const msg = parseMessage(INVITE);
    msg.headers.prepend('Via', 'SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1');
    msg.headers.delete('Subject');
    msg.headers.set('Record-Route', ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    msg.headers.append('X-Edge', 'one');
    const again = parseMessage(serializeMessage(msg));
    expect(fields(again)).toEqual(fields(msg));
    expect(again.headers.entries()[0]).toEqual([
      'via',
      'SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1',
    ]);
    expect(again.body.equals(parseMessage(INVITE).body)).toBe(true);
    expect(again.contentLength()).toBe(again.body.length);
  });

  test('lines the rebuild writes otherwise are rebuilt, not copied', () => {
    const odd = Buffer.from(
      'OPTIONS sip:b@c SIP/2.0\r\nvia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom:<sip:a@b>;tag=1\r\n' +
        'To:  <sip:b@c>  \r\nCall-ID : x@y\r\nCSeq:\t1 OPTIONS\r\nX-Odd  : v\r\nX-Fine: w\r\n' +
        'Content-Length: 00\r\n\r\n',
    );
    const msg = parseMessage(odd);
    msg.headers.append('X-New', 'n');
    expect(serializeMessage(msg).toString()).toBe(
      'OPTIONS sip:b@c SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n' +
        'To: <sip:b@c>\r\nCall-ID: x@y\r\nCSeq: 1 OPTIONS\r\nX-Odd: v\r\nX-Fine: w\r\n' +
        'Content-Length: 0\r\nX-New: n\r\n\r\n',
    );
  });

  test('UTF-8 in a received line and in an edit goes out as UTF-8', () => {
    const msg = parseMessage(
      Buffer.from(
        'MESSAGE sip:b@c SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n' +
          'From: "Zoë" <sip:a@b>;tag=1\r\nTo: <sip:b@c>\r\nCall-ID: x@y\r\nCSeq: 1 MESSAGE\r\n' +
          'Content-Length: 7\r\n\r\nGrüße',
        'utf8',
      ),
    );
    msg.headers.set('Subject', 'Café');
    const again = parseMessage(serializeMessage(msg));
    expect(again.from().displayName).toBe('Zoë');
    expect(again.headers.get('subject')).toBe('Café');
    expect(again.body.toString('utf8')).toBe('Grüße');
  });

  test('a reason phrase with octets above 0x7F is written again from its decoded text', () => {
    const bytes = Buffer.concat([
      Buffer.from('SIP/2.0 200 O'),
      Buffer.from([0xff]),
      Buffer.from(
        'K\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:b@c>;tag=2\r\n' +
          'Call-ID: x@y\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n',
      ),
    ]);
    const msg = parseMessage(bytes) as SipResponse;
    expect(msg.reason).toBe('O\ufffdK');
    msg.headers.append('X-New', 'n');
    const out = serializeMessage(msg);
    const line = Buffer.from('SIP/2.0 200 O\ufffdK\r\n', 'utf8');
    expect(out.subarray(0, line.length).equals(line)).toBe(true);
    expect((parseMessage(out) as SipResponse).reason).toBe('O\ufffdK');
  });

  test('a datagram without the empty line gets one before the body', () => {
    const msg = parseMessage(
      Buffer.from(
        'OPTIONS sip:b@c SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n' +
          'To: <sip:b@c>\r\nCall-ID: x@y\r\nCSeq: 1 OPTIONS\r\n',
      ),
      { datagram: true },
    );
    msg.headers.append('X-New', 'n');
    expect(serializeMessage(msg).toString()).toMatch(/\r\nX-New: n\r\nContent-Length: 0\r\n\r\n$/);
  });

  test('UTF-8 values survive a rebuild', () => {
    const msg = createRequest({
      method: 'MESSAGE',
      uri: 'sip:b@example.com',
      headers: [
        ['Via', 'SIP/2.0/UDP h;branch=z9hG4bK1'],
        ['From', '"Zoë" <sip:a@example.com>;tag=1'],
        ['To', '<sip:b@example.com>'],
        ['Call-ID', 'c1'],
        ['CSeq', '1 MESSAGE'],
      ],
      body: 'Grüße',
    });
    const again = parseMessage(serializeMessage(msg));
    expect(again.from().displayName).toBe('Zoë');
    expect(again.body.toString('utf8')).toBe('Grüße');
    expect(again.contentLength()).toBe(Buffer.byteLength('Grüße'));
  });
});

describe('header edits', () => {
  test('prepend puts a Via on top and the typed cache follows', () => {
    const msg = parseMessage(INVITE);
    expect(msg.topVia().branch).toBe('z9hG4bK2d4790.1');
    msg.headers.prepend('v', 'SIP/2.0/TCP 192.0.2.1;branch=z9hG4bKnew');
    expect(msg.topVia().branch).toBe('z9hG4bKnew');
    expect(msg.via().map((v) => v.branch)).toEqual([
      'z9hG4bKnew',
      'z9hG4bK2d4790.1',
      'z9hG4bKnashds8',
    ]);
    expect(msg.headers.entries()[0]).toEqual(['via', 'SIP/2.0/TCP 192.0.2.1;branch=z9hG4bKnew']);
  });

  test('set replaces every field at the first one’s place; delete removes them', () => {
    const msg = parseMessage(INVITE);
    msg.headers.set('Via', ['SIP/2.0/UDP a;branch=z9hG4bKa', 'SIP/2.0/UDP b;branch=z9hG4bKb']);
    expect(msg.headers.getAll('VIA')).toEqual([
      'SIP/2.0/UDP a;branch=z9hG4bKa',
      'SIP/2.0/UDP b;branch=z9hG4bKb',
    ]);
    expect(msg.headers.entries()[0]![0]).toBe('via');
    msg.headers.set('To', '<sip:bob@biloxi.example.com>;tag=abc');
    expect(msg.to().tag).toBe('abc');
    msg.headers.delete('record-route');
    expect(msg.headers.has('Record-Route')).toBe(false);
    expect(msg.recordRoute()).toEqual([]);
  });

  test('append adds an extension header at the end', () => {
    const msg = parseMessage(REGISTER);
    msg.headers.append('X-Sipwake-Reason', 'push-timeout');
    expect(msg.headers.get('x-sipwake-reason')).toBe('push-timeout');
    expect(msg.headers.entries().at(-1)).toEqual(['x-sipwake-reason', 'push-timeout']);
  });

  test('a name that is not a token or a value with CR/LF is refused', () => {
    const msg = parseMessage(REGISTER);
    expect(() => msg.headers.append('Bad Name', 'x')).toThrow(SipParseError);
    expect(() => msg.headers.append('X-Inject', 'a\r\nVia: evil')).toThrow(SipParseError);
  });
});

describe('createRequest / createResponse', () => {
  const request = () => parseMessage(INVITE) as SipRequest;

  test('a response copies Via in order, From, To, Call-ID and CSeq (RFC 3261 §8.2.6.2)', () => {
    const res = createResponse(request(), 180, undefined, { toTag: 'as83kd' });
    expect(res.status).toBe(180);
    expect(res.reason).toBe('Ringing');
    expect(res.headers.getAll('via')).toEqual(request().headers.getAll('via'));
    expect(res.headers.get('from')).toBe(request().headers.get('from'));
    expect(res.to().tag).toBe('as83kd');
    expect(res.callId()).toBe(request().callId());
    expect(res.cseq()).toEqual({ seq: 1, method: 'INVITE' });
    expect(res.headers.has('record-route')).toBe(false);
    const again = parseMessage(serializeMessage(res)) as SipResponse;
    expect(again.status).toBe(180);
    expect(again.contentLength()).toBe(0);
  });

  test('a To that has a tag keeps it', () => {
    const req = request();
    req.headers.set('To', 'Bob <sip:bob@biloxi.example.com>;tag=existing');
    expect(createResponse(req, 200, 'OK', { toTag: 'other' }).to().tag).toBe('existing');
  });

  test('100 Trying copies Timestamp (RFC 3261 §8.2.6.1); others do not', () => {
    const req = request();
    req.headers.append('Timestamp', '54');
    expect(createResponse(req, 100).headers.get('timestamp')).toBe('54');
    expect(createResponse(req, 486).headers.has('timestamp')).toBe(false);
    expect(createResponse(req, 486).reason).toBe('Busy Here');
  });

  test('extra headers and a body are added', () => {
    const res = createResponse(request(), 480, 'Temporarily Unavailable', {
      toTag: 't',
      headers: [['X-Sipwake-Reason', 'no-device']],
      body: 'x',
    });
    const again = parseMessage(serializeMessage(res));
    expect(again.headers.get('x-sipwake-reason')).toBe('no-device');
    expect(again.body.toString()).toBe('x');
  });

  test('a created request serializes with a Content-Length and parses back', () => {
    const req = createRequest({
      method: 'REGISTER',
      uri: 'sip:example.com',
      headers: [
        ['Via', 'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;rport'],
        ['Max-Forwards', '70'],
        ['From', '<sip:alice@example.com>;tag=1'],
        ['To', '<sip:alice@example.com>'],
        ['Call-ID', 'reg-1'],
        ['CSeq', '1 REGISTER'],
        ['Contact', '<sip:alice@192.0.2.1>;expires=600'],
      ],
    });
    expect(req.raw).toBeUndefined();
    const again = parseMessage(serializeMessage(req)) as SipRequest;
    expect(again.method).toBe('REGISTER');
    expect(again.contentLength()).toBe(0);
    const c = again.contacts();
    expect(c !== '*' && c[0]!.expires).toBe(600);
  });

  test('bad input is refused with SipParseError', () => {
    expect(() => createRequest({ method: 'IN VITE', uri: 'sip:a@b' })).toThrow(SipParseError);
    expect(() => createRequest({ method: 'INVITE', uri: 'sip:a b' })).toThrow(SipParseError);
    expect(() => createResponse(request(), 99)).toThrow(SipParseError);
    expect(() => createResponse(request(), 200, 'OK\r\nX: y')).toThrow(SipParseError);
  });
});
