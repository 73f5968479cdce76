import {
  ParseErrorCode,
  SipParseError,
  checkMessage,
  checkRequest,
  parseMessage,
} from './index.js';
import type { SipRequest } from './index.js';

function request(uri: string): Buffer {
  return Buffer.from(
    [
      `OPTIONS ${uri} SIP/2.0`,
      'Via: SIP/2.0/UDP h.example.com;branch=z9hG4bK1',
      'From: <sip:a@example.com>;tag=1',
      'To: <sip:b@example.com>',
      'Call-ID: c1@example.com',
      'CSeq: 1 OPTIONS',
      '',
      '',
    ].join('\r\n'),
    'latin1',
  );
}

const parse = (uri: string) => parseMessage(request(uri), { datagram: true }) as SipRequest;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SipParseError);
    return (e as SipParseError).code;
  }
  return undefined;
}

describe('Request-URI', () => {
  test.each([
    ['no scheme', 'user@example.com'],
    ['a scheme not starting with a letter', '1sip:user@example.com'],
    ['nothing after the scheme', 'sip:'],
    ['angle brackets (RFC 4475 ltgtruri)', '<sip:user@example.com>'],
    ['a TAB', 'sip:user@exa\tmple.com'],
    ['a DQUOTE', 'sip:"user"@example.com'],
    ['an octet above 0x7F', 'sip:usér@example.com'],
    ['a headers component (RFC 4475 escruri)', 'sip:user@example.com?Route=%3Csip:x%3E'],
    ['an IPv6 reference not closed', 'sip:[2001:db8::10;transport=udp'],
    ['an IPv6 address without brackets (RFC 5118 ipv6-bad)', 'sip:2001:db8::10'],
    ['a port out of range', 'sip:user@example.com:65536'],
    ['a port with a letter', 'sip:user@example.com:50a0'],
    ['a bad escape', 'sip:%zz@example.com'],
    ['a truncated escape', 'sip:user@example.com;x=%4'],
    ['a host with an underscore', 'sip:user@exa_mple.com'],
    ['no host', 'sip:user@'],
  ])('with %s is refused by parseMessage', (_what, uri) => {
    expect(codeOf(() => parse(uri))).toBe(ParseErrorCode.BadRequestUri);
  });

  test.each([
    ['a bad IPv6 reference', 'sip:[12345::1]'],
    ['a user part character outside its class', 'sip:a{b@example.com'],
    ['a parameter character outside its class', 'sip:u@example.com;a{=b'],
    ['a tel number with a letter', 'tel:+1-201-555-z123'],
  ])(
    'with %s is parsed on first requestUri(): BAD_REQUEST_URI, 400 from the checks',
    (_what, uri) => {
      const m = parse(uri);
      expect(m.uri).toBe(uri);
      expect(codeOf(() => m.requestUri())).toBe(ParseErrorCode.BadRequestUri);
      expect(checkMessage(m)).toMatchObject({ status: 400, code: ParseErrorCode.BadRequestUri });
      expect(checkRequest(m)).toMatchObject({ status: 400, code: ParseErrorCode.BadRequestUri });
    },
  );

  test.each([
    ['a user part with "?" and ";"', 'sip:a?b;c@example.com', 'a?b;c'],
    ['an IPv6 reference and a port', 'sip:u@[2001:db8::10]:5070;transport=tcp', 'u'],
    ['a password', 'sip:u:pw@example.com:5060', 'u'],
    ['a tel URI', 'tel:+1-201-555-0123', '+1-201-555-0123'],
  ])('with %s is accepted and parsed once', (_what, uri, user) => {
    const m = parse(uri);
    expect(checkRequest(m)).toBeUndefined();
    expect(m.requestUri().user).toBe(user);
    expect(m.requestUri()).toBe(m.requestUri());
  });

  test('a parameter value with a lone "]" is a valid URI (param-unreserved) and accepted', () => {
    const m = parse('sip:u@example.com;x=]');
    expect(m.requestUri().params).toEqual({ x: ']' });
  });

  test('an assigned Request-URI is parsed as a URI', () => {
    const m = parse('sip:u@example.com');
    m.uri = 'sip:v@example.net:99999';
    expect(codeOf(() => m.requestUri())).toBe(ParseErrorCode.BadUri);
    m.uri = 'sip:v@example.net';
    expect(m.requestUri().host).toBe('example.net');
  });
});
