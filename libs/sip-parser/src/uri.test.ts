import { ParseErrorCode, SipParseError, formatUri, parseNameAddr, parseUri } from './index.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SipParseError);
    return (e as SipParseError).code;
  }
  return undefined;
}

describe('parseUri', () => {
  test('reads every part of a sip URI', () => {
    const u = parseUri(
      'sip:alice:secret@Atlanta.Example.COM:5061;transport=TCP;lr?subject=hi&x=%41',
    );
    expect(u).toEqual({
      scheme: 'sip',
      user: 'alice',
      password: 'secret',
      host: 'atlanta.example.com',
      port: 5061,
      params: { transport: 'TCP', lr: null },
      headers: { subject: 'hi', x: 'A' },
      opaque: undefined,
    });
  });

  test('sips, scheme in any case', () => {
    expect(parseUri('SIPS:bob@example.com').scheme).toBe('sips');
  });

  test('IPv6 references (RFC 5118): the port is outside the brackets', () => {
    expect(parseUri('sip:[2001:db8::10]:5070')).toMatchObject({
      host: '[2001:db8::10]',
      port: 5070,
    });
    expect(parseUri('sip:[2001:db8::10:5070]')).toMatchObject({
      host: '[2001:db8::10:5070]',
      port: undefined,
    });
    expect(parseUri('sip:ted@[::ffff:192.0.2.2]').host).toBe('[::ffff:192.0.2.2]');
    expect(codeOf(() => parseUri('sip:2001:db8::10'))).toBe(ParseErrorCode.BadUri);
    expect(codeOf(() => parseUri('sip:[2001:db8::1::2]'))).toBe(ParseErrorCode.BadUri);
    expect(codeOf(() => parseUri('sip:[2001:db8:1]'))).toBe(ParseErrorCode.BadUri);
    expect(codeOf(() => parseUri('sip:[12345::1]'))).toBe(ParseErrorCode.BadUri);
  });

  test('escapes decode once, in user, password, parameters and headers', () => {
    expect(parseUri('sip:%75se%72@example.com').user).toBe('user');
    expect(parseUri('sip:I%20have%20spaces@example.net').user).toBe('I have spaces');
    expect(parseUri('sip:a@b;n%61me=v%61lue%25%34%31').params).toEqual({ name: 'value%41' });
    expect(parseUri('sip:%C3%A9@b').user).toBe('é');
    expect(codeOf(() => parseUri('sip:%4@b'))).toBe(ParseErrorCode.BadUri);
    expect(codeOf(() => parseUri('sip:%zz@b'))).toBe(ParseErrorCode.BadUri);
  });

  test('a user part may hold ; ? / , (RFC 4475 semiuri)', () => {
    const u = parseUri('sip:user;par=u%40example.net@example.com');
    expect(u.user).toBe('user;par=u@example.net');
    expect(u.params).toEqual({});
  });

  test('tel URIs', () => {
    expect(parseUri('tel:+1-201-555-0123;phone-context=example.com')).toMatchObject({
      scheme: 'tel',
      user: '+1-201-555-0123',
      host: '',
      params: { 'phone-context': 'example.com' },
    });
  });

  test('other schemes keep their text as opaque', () => {
    expect(parseUri('urn:service:sos')).toMatchObject({ scheme: 'urn', opaque: 'service:sos' });
    expect(parseUri('soap.beep://192.0.2.103:3002').scheme).toBe('soap.beep');
  });

  test('malformed URIs throw BAD_URI', () => {
    for (const bad of [
      '',
      'sip:',
      'sip:@example.com',
      'example.com',
      'sip:a@b:99999',
      'sip:a@b:5060x',
      'sip:a b@c',
      'sip:a@b;=x',
      'sip:a@b;x=',
      'sip:a@b?x',
      '1sip:a@b',
      'tel:',
      'urn:',
      'urn:a b',
    ]) {
      expect([bad, codeOf(() => parseUri(bad))]).toEqual([bad, ParseErrorCode.BadUri]);
    }
  });
});

describe('formatUri', () => {
  test('round-trips what it parsed', () => {
    for (const text of [
      'sip:alice@atlanta.example.com',
      'sips:bob:pw@[2001:db8::1]:5061;transport=tcp;lr',
      'sip:alice@example.com?subject=hi&priority=urgent',
      'tel:+12015550123;phone-context=example.com',
      'urn:uuid:00000000-0000-1000-8000-000a95a0e128',
      'sip:example.com',
    ]) {
      expect(formatUri(parseUri(text))).toBe(text);
    }
  });

  test('escapes what a component may not hold', () => {
    const u = { ...parseUri('sip:x@example.com'), user: 'I have spaces', params: { 'a b': 'c;d' } };
    expect(formatUri(u)).toBe('sip:I%20have%20spaces@example.com;a%20b=c%3Bd');
    expect(parseUri(formatUri(u)).user).toBe('I have spaces');
  });
});

describe('parseNameAddr', () => {
  test('name-addr with a quoted display name and parameters', () => {
    const a = parseNameAddr('"Alice \\"A\\"" <sip:alice@example.com;transport=tcp>;tag=1;x');
    expect(a.displayName).toBe('Alice "A"');
    expect(a.uriText).toBe('sip:alice@example.com;transport=tcp');
    expect(a.uri.params).toEqual({ transport: 'tcp' });
    expect({ ...a.params }).toEqual({ tag: '1', x: null });
  });

  test('addr-spec: the parameters after the URI are header parameters (RFC 3261 §20.10)', () => {
    const a = parseNameAddr('sip:+19725552222@gw1.example.net;unknownparam');
    expect(a.uriText).toBe('sip:+19725552222@gw1.example.net');
    expect(a.uri.params).toEqual({});
    expect({ ...a.params }).toEqual({ unknownparam: null });
  });

  test('token display names, with or without space before <', () => {
    expect(parseNameAddr('J Rosenberg <sip:j@example.com>').displayName).toBe('J Rosenberg');
    expect(parseNameAddr('caller<sip:caller@example.com>').displayName).toBe('caller');
  });

  test('malformed name-addrs throw', () => {
    expect(codeOf(() => parseNameAddr('"open <sip:a@b>'))).toBe(ParseErrorCode.BadNameAddr);
    expect(codeOf(() => parseNameAddr('<sip:a@b'))).toBe(ParseErrorCode.BadNameAddr);
    expect(codeOf(() => parseNameAddr('Bell, Alex <sip:a@b>'))).toBe(ParseErrorCode.BadNameAddr);
    expect(codeOf(() => parseNameAddr('<sip:a@b>;;'))).toBe(ParseErrorCode.BadNameAddr);
    expect(codeOf(() => parseNameAddr('sip:a@b?x=y'))).toBe(ParseErrorCode.BadNameAddr);
    expect(codeOf(() => parseNameAddr('< sip:a@b >'))).toBe(ParseErrorCode.BadUri);
  });

  test('a parameter named like an Object member stays a plain own value', () => {
    const a = parseNameAddr('<sip:a@b>;__proto__=x;constructor=y;toString');
    expect(Object.keys(a.params)).toEqual(['__proto__', 'constructor', 'tostring']);
    expect(a.params['__proto__']).toBe('x');
    expect(Object.getPrototypeOf(a.params)).toBe(Object.prototype);
  });
});
