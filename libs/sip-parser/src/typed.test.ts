import { ParseErrorCode, SipParseError, checkMessage, parseMessage } from './index.js';
import type { Contact, SipMessage } from './index.js';

const BASE = [
  'Via: SIP/2.0/UDP h.example.com;branch=z9hG4bK1',
  'From: <sip:a@example.com>;tag=1',
  'To: <sip:b@example.com>',
  'Call-ID: c1@example.com',
  'CSeq: 1 OPTIONS',
];

/** An OPTIONS request with the base fields and `extra` lines, as one datagram. */
function req(...extra: string[]): SipMessage {
  const text = ['OPTIONS sip:b@example.com SIP/2.0', ...BASE, ...extra].join('\r\n') + '\r\n\r\n';
  return parseMessage(Buffer.from(text, 'utf8'), { datagram: true });
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SipParseError);
    return (e as SipParseError).code;
  }
  return undefined;
}

const list = (c: readonly Contact[] | '*'): readonly Contact[] => (c === '*' ? [] : c);

describe('header fields', () => {
  test('names are case-insensitive and compact forms equal full names', () => {
    const m = req('k: path, gruu', 'o: reg', 'u: presence', 'x: 1800', 'e: gzip', 'c: text/plain');
    expect(m.headers.get('SUPPORTED')).toBe('path, gruu');
    expect(m.supported()).toEqual(['path', 'gruu']);
    expect(m.headers.get('event')).toBe('reg');
    expect(m.headers.get('Allow-Events')).toBe('presence');
    expect(m.headers.get('session-expires')).toBe('1800');
    expect(m.headers.get('content-encoding')).toBe('gzip');
    expect(m.contentType()).toBe('text/plain');
    expect(
      m.headers
        .entries()
        .slice(5)
        .map(([n]) => n),
    ).toEqual([
      'supported',
      'event',
      'allow-events',
      'session-expires',
      'content-encoding',
      'content-type',
    ]);
  });

  test('LWS around the colon, folding, one header over several lines', () => {
    const m = req('Subject   :   one', '  two\tthree  ', 'X-Empty:', 'Warning:', ' 399 h "x"');
    expect(m.headers.get('subject')).toBe('one two\tthree');
    expect(m.headers.get('x-empty')).toBe('');
    expect(m.headers.get('warning')).toBe('399 h "x"');
  });

  test('folded and UTF-8 values parse as one-line ASCII values do (a decoded copy)', () => {
    const m = parseMessage(
      Buffer.from(
        [
          'OPTIONS sip:b@example.com SIP/2.0',
          'Via: SIP/2.0/UDP h.example.com',
          ' ;branch=z9hG4bKf1;rport',
          'From: "Zoë Ünal" <sip:a@example.com>',
          '  ;tag=z1',
          'To: "Björn" <sip:b@example.com>;tag=b2',
          'Call-ID: c1@example.com',
          'CSeq: 1 OPTIONS',
          'Contact: "Zoë" <sip:a@192.0.2.1>;expires=60;',
          ' +sip.instance="<urn:uuid:1>";note="ça va"',
          '',
          '',
        ].join('\r\n'),
        'utf8',
      ),
      { datagram: true },
    );
    expect([m.topVia().branch, m.topVia().rport]).toEqual(['z9hG4bKf1', true]);
    expect([m.from().displayName, m.from().tag]).toEqual(['Zoë Ünal', 'z1']);
    expect([m.to().displayName, m.to().tag]).toEqual(['Björn', 'b2']);
    const [c] = list(m.contacts());
    expect([c!.displayName, c!.expires, c!.instance]).toEqual(['Zoë', 60, 'urn:uuid:1']);
    expect(c!.params.note).toBe('"ça va"');
    expect(checkMessage(m)).toBeUndefined();
  });

  test('comma lists: several values on one line, commas inside quotes and <> kept', () => {
    const m = req(
      'Contact: "Doe, John" <sip:j@h1;x=a,b>;q=0.5, <sip:k@h2>;expires=60',
      'Contact: sip:l@h3',
      'Route: <sip:p1;lr>, <sip:p2;lr>',
      'Route: <sip:p3;lr>',
    );
    const c = list(m.contacts());
    expect(c.map((x) => x.displayName)).toEqual(['Doe, John', undefined, undefined]);
    expect(c.map((x) => x.uriText)).toEqual(['sip:j@h1;x=a,b', 'sip:k@h2', 'sip:l@h3']);
    expect(c[0]!.q).toBe(0.5);
    expect(c[1]!.expires).toBe(60);
    expect(m.route().map((r) => r.uri.host)).toEqual(['p1', 'p2', 'p3']);
  });

  test('the wildcard Contact of a de-registration', () => {
    expect(req('Contact: *', 'Expires: 0').contacts()).toBe('*');
    expect(codeOf(() => req('Contact: *', 'Contact: <sip:a@b>').contacts())).toBe(
      ParseErrorCode.BadNameAddr,
    );
  });

  test('Contact +sip.instance and RFC 8599 push parameters in the URI or the header', () => {
    const [a, b] = list(
      req(
        'Contact: <sip:a@192.0.2.1;pn-provider=fcm;pn-param=proj;pn-prid=tok%3A1>;+sip.instance="<urn:uuid:abc>"',
        'Contact: <sip:b@192.0.2.2>;pn-provider=apns;pn-prid="0fa1";pn-purr=x1',
      ).contacts(),
    );
    expect(a!.instance).toBe('urn:uuid:abc');
    expect(a!.push).toEqual({ provider: 'fcm', prid: 'tok:1', param: 'proj', purr: undefined });
    expect(b!.push).toEqual({ provider: 'apns', prid: '0fa1', param: undefined, purr: 'x1' });
  });

  test('Via: transport upper-cased, IPv6, port, received, rport, maddr, ttl, params', () => {
    const m = req(
      'Via: SIP / 2.0 / tcp [2001:DB8::9:1] : 6050 ;branch=z9hG4bKa;received=[2001:db8::9:255];rport;maddr=224.2.0.1;ttl=16;x=y',
    );
    const v = m.via()[1]!;
    expect(v).toMatchObject({
      protocol: 'SIP/2.0',
      transport: 'TCP',
      host: '[2001:db8::9:1]',
      port: 6050,
      branch: 'z9hG4bKa',
      received: '2001:db8::9:255',
      rport: true,
      maddr: '224.2.0.1',
      ttl: 16,
    });
    expect(v.params).toMatchObject({ received: '[2001:db8::9:255]', rport: null, x: 'y' });
    expect(JSON.parse(JSON.stringify(v))).toMatchObject({ branch: 'z9hG4bKa', ttl: 16 });
    expect(codeOf(() => req('Via: SIP/2.0/UDP h;ttl=256').via()[1]!.ttl)).toBe(
      ParseErrorCode.BadVia,
    );
    expect(codeOf(() => req('Via: SIP/2.0/UDP h;rport=x').via()[1]!.rport)).toBe(
      ParseErrorCode.BadVia,
    );
    expect(codeOf(() => req('Via: SIP/2.0/UDP h:70000').via())).toBe(ParseErrorCode.BadVia);
    expect(codeOf(() => req('Via: SIP/2.0/UDP').via())).toBe(ParseErrorCode.BadVia);
  });

  test('Digest challenges and credentials with quoted strings and escapes', () => {
    const m = req(
      'WWW-Authenticate: Digest realm="atlanta.example.com", qop="auth,auth-int", nonce="84a4cc6f", opaque="", stale=FALSE, algorithm=SHA-256',
      'Proxy-Authenticate: Digest realm="a \\"b\\"", nonce="1"',
      'Authorization: Digest username="bob", realm="biloxi.com", uri="sip:bob@biloxi.com", response="6629fae49393a05397450978507c4ef1", nc=00000001, cnonce="0a4f113b", qop=auth',
      'Proxy-Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig-_',
      'Authentication-Info: nextnonce="47364c23432d2e131a5fb210812c", qop=auth, rspauth="x"',
    );
    expect(m.wwwAuthenticate()[0]).toEqual({
      scheme: 'Digest',
      params: {
        realm: 'atlanta.example.com',
        qop: 'auth,auth-int',
        nonce: '84a4cc6f',
        opaque: '',
        stale: 'FALSE',
        algorithm: 'SHA-256',
      },
    });
    expect(m.proxyAuthenticate()[0]!.params.realm).toBe('a "b"');
    expect(m.authorization()[0]!.params).toMatchObject({ username: 'bob', nc: '00000001' });
    expect(m.proxyAuthorization()[0]).toMatchObject({
      scheme: 'Bearer',
      token68: 'eyJhbGciOi.eyJzdWIi.sig-_',
    });
    expect(m.authenticationInfo()).toEqual({
      nextnonce: '47364c23432d2e131a5fb210812c',
      qop: 'auth',
      rspauth: 'x',
    });
    expect(codeOf(() => req('Authorization: Digest realm="x').authorization())).toBe(
      ParseErrorCode.BadAuth,
    );
    expect(codeOf(() => req('Authorization: Digest realm').authorization())).toBe(
      ParseErrorCode.BadAuth,
    );
  });

  test('Retry-After with comment and duration; Reason list', () => {
    const m = req(
      'Retry-After: 120 (I am in a (meeting)) ;duration=60',
      'Reason: SIP;cause=200;text="Call completed elsewhere", Q.850;cause=16',
    );
    expect(m.retryAfter()).toEqual({ seconds: 120, duration: 60, comment: 'I am in a (meeting)' });
    expect(m.reasons()).toEqual([
      expect.objectContaining({ protocol: 'SIP', cause: 200, text: 'Call completed elsewhere' }),
      expect.objectContaining({ protocol: 'Q.850', cause: 16, text: undefined }),
    ]);
    expect(codeOf(() => req('Retry-After: 949302838503028349304023988').retryAfter())).toBe(
      ParseErrorCode.BadHeaderValue,
    );
  });

  test('Expires, Min-Expires, Max-Forwards ranges; a missing header is undefined', () => {
    const m = req('Expires: 3600', 'Min-Expires: 60', 'Max-Forwards: 0');
    expect(m.expires()).toBe(3600);
    expect(m.minExpires()).toBe(60);
    expect(m.maxForwards()).toBe(0);
    expect(req().expires()).toBeUndefined();
    expect(req().maxForwards()).toBeUndefined();
    expect(req().retryAfter()).toBeUndefined();
    expect(codeOf(() => req('Expires: 4294967296').expires())).toBe(ParseErrorCode.BadNumber);
    expect(codeOf(() => req('Expires: 1', 'Expires: 2').expires())).toBe(
      ParseErrorCode.DuplicateHeader,
    );
    expect(req('Expires: 4294967295').expires()).toBe(4294967295);
  });

  test('Supported may be empty; Require lower-cased', () => {
    expect(req('Supported:').supported()).toEqual([]);
    expect(req('Require: 100rel, Timer').require()).toEqual(['100rel', 'timer']);
  });

  test('contentLength is the declared value, or the body length without one', () => {
    const m = parseMessage(
      Buffer.from(
        ['MESSAGE sip:b@c SIP/2.0', ...BASE].join('\r\n').replace('OPTIONS', 'MESSAGE') +
          '\r\n\r\nabc',
      ),
      { datagram: true },
    );
    expect(m.contentLength()).toBe(3);
    expect(m.body.toString()).toBe('abc');
  });

  test('a malformed typed value makes checkMessage answer 400 with its code', () => {
    expect(checkMessage(req('Contact: <sip:a@b>;expires=x'))).toMatchObject({
      status: 400,
      code: ParseErrorCode.BadNumber,
    });
    expect(checkMessage(req('Route: <sip:a b>'))).toMatchObject({ status: 400, code: 'BAD_URI' });
    expect(checkMessage(req())).toBeUndefined();
  });
});

describe('parseMessage rejects', () => {
  const msg =
    (text: string, datagram = true) =>
    () =>
      parseMessage(Buffer.from(text, 'latin1'), { datagram });
  const ok = ['OPTIONS sip:b@example.com SIP/2.0', ...BASE].join('\r\n');

  test.each([
    ['empty input', '', ParseErrorCode.EmptyMessage],
    ['only CRLFs', '\r\n\r\n', ParseErrorCode.EmptyMessage],
    ['a bare LF', ok.replace('\r\nTo:', '\nTo:') + '\r\n\r\n', ParseErrorCode.BadLineEnd],
    [
      'a start line with LF only',
      ok.replace('SIP/2.0\r\n', 'SIP/2.0\n') + '\r\n\r\n',
      ParseErrorCode.BadLineEnd,
    ],
    ['a header line without colon', ok + '\r\nFoobar roobar\r\n\r\n', ParseErrorCode.BadHeaderLine],
    ['a non-token header name', ok + '\r\nX(y): 1\r\n\r\n', ParseErrorCode.BadHeaderLine],
    [
      'a folded first header line',
      ok.replace('\r\nVia', '\r\n Via') + '\r\n\r\n',
      ParseErrorCode.BadHeaderLine,
    ],
    [
      'a lower-case method is fine, a bad one not',
      ok.replace('OPTIONS sip', 'OPT@ONS sip') + '\r\n\r\n',
      ParseErrorCode.BadStartLine,
    ],
    [
      'a status code of 2 digits',
      'SIP/2.0 20 OK\r\n' + BASE.join('\r\n') + '\r\n\r\n',
      ParseErrorCode.BadStatus,
    ],
    [
      'a status code of 700',
      'SIP/2.0 700 X\r\n' + BASE.join('\r\n') + '\r\n\r\n',
      ParseErrorCode.BadStatus,
    ],
    [
      'SIP/3.0 in a response',
      'SIP/3.0 200 OK\r\n' + BASE.join('\r\n') + '\r\n\r\n',
      ParseErrorCode.BadVersion,
    ],
    ['no Via', ok.replace(/Via: [^\r]*\r\n/, '') + '\r\n\r\n', ParseErrorCode.MissingHeader],
    ['CSeq 2^31', ok.replace('CSeq: 1', 'CSeq: 2147483648') + '\r\n\r\n', ParseErrorCode.BadCseq],
    [
      'CSeq without method',
      ok.replace('CSeq: 1 OPTIONS', 'CSeq: 1') + '\r\n\r\n',
      ParseErrorCode.BadCseq,
    ],
    [
      'a Call-ID with a space',
      ok.replace('c1@example.com', 'c 1') + '\r\n\r\n',
      ParseErrorCode.BadCallId,
    ],
    [
      'Content-Length beyond the datagram',
      ok + '\r\nContent-Length: 10\r\n\r\nabc',
      ParseErrorCode.TruncatedBody,
    ],
    [
      'Content-Length twice',
      ok + '\r\nl: 0\r\nContent-Length: 0\r\n\r\n',
      ParseErrorCode.DuplicateHeader,
    ],
    [
      'an unterminated header section on a stream',
      ok + '\r\nContent-Length: 0\r\n',
      ParseErrorCode.IncompleteHeaders,
    ],
  ])('%s', (_name, text, code) => {
    const datagram = !_name.includes('stream');
    expect(codeOf(msg(text, datagram))).toBe(code);
  });

  test('a stream message must be exactly one message with its Content-Length', () => {
    expect(codeOf(msg(ok + '\r\n\r\n', false))).toBe(ParseErrorCode.MissingContentLength);
    expect(codeOf(msg(ok + '\r\nl: 1\r\n\r\nab', false))).toBe(ParseErrorCode.TrailingBytes);
    expect(codeOf(msg(ok + '\r\nl: 3\r\n\r\nab', false))).toBe(ParseErrorCode.TruncatedBody);
  });

  test('bounds: header section and body', () => {
    const big = ok + '\r\nX: ' + 'x'.repeat(2000) + '\r\n\r\n';
    expect(
      codeOf(() => parseMessage(Buffer.from(big), { datagram: true, maxHeaderBytes: 1024 })),
    ).toBe(ParseErrorCode.HeaderTooLarge);
    const body = ok + '\r\n\r\n' + 'b'.repeat(200);
    expect(
      codeOf(() => parseMessage(Buffer.from(body), { datagram: true, maxBodyBytes: 100 })),
    ).toBe(ParseErrorCode.BodyTooLarge);
  });

  test('errors carry the octet offset', () => {
    const text = ok + '\r\nFoobar roobar\r\n\r\n';
    try {
      parseMessage(Buffer.from(text), { datagram: true });
      throw new Error('accepted');
    } catch (e) {
      expect((e as SipParseError).offset).toBe(text.indexOf('roobar'));
    }
  });
});

describe('a CR without LF inside a value', () => {
  const withCr = (line: string) =>
    parseMessage(
      Buffer.from(['OPTIONS sip:b@example.com SIP/2.0', ...BASE, line].join('\r\n') + '\r\n\r\n'),
      { datagram: true },
    );

  test('stays in the raw value and every typed accessor refuses it', () => {
    expect(withCr('X-Raw: a\rb').headers.get('x-raw')).toBe('a\rb');
    expect(codeOf(() => withCr('Contact: "a\rb" <sip:a@b>').contacts())).toBe(
      ParseErrorCode.BadNameAddr,
    );
    expect(codeOf(() => withCr('Retry-After: 5 (a\rb)').retryAfter())).toBe(
      ParseErrorCode.BadHeaderValue,
    );
    expect(codeOf(() => withCr('Route: <sip:a@b\r>').route()[0]!.uri)).toBe(ParseErrorCode.BadUri);
    expect(codeOf(() => withCr('Authorization: Digest a="\r"').authorization())).toBe(
      ParseErrorCode.BadAuth,
    );
  });

  test('is refused in the start line', () => {
    const text = ['OPTIONS sip:b@example.com SIP/2.0\rX', ...BASE].join('\r\n') + '\r\n\r\n';
    expect(codeOf(() => parseMessage(Buffer.from(text), { datagram: true }))).toBe(
      ParseErrorCode.BadLineEnd,
    );
  });
});
