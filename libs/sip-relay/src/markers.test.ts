import fc from 'fast-check';
import {
  createRequest,
  createResponse,
  parseMessage,
  parseNameAddr,
  parseUri,
  serializeMessage,
} from '@sipwake/sip-parser';
import type { SipMessage } from '@sipwake/sip-parser';
import {
  contactFor,
  findSelector,
  recordRouteFor,
  relayBranch,
  selectorFromBranch,
  selectorFromUri,
} from './markers.js';
import type { RouterAddress } from './markers.js';

const selector = '628bef098cd19b085f0eb48256f504f34142c01a';
const other = '0123456789abcdef0123456789abcdef01234567';
const router: RouterAddress = { host: 'sip.example.net', port: 5060, protocol: 'udp' };

const parse = (text: string): SipMessage => parseMessage(Buffer.from(text), { datagram: true });

function request(uri: string, extra: readonly string[] = []): string {
  return [
    `INVITE ${uri} SIP/2.0`,
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKupstream1',
    ...extra,
    'From: <sip:bob@example.com>;tag=f1',
    'To: <sip:alice@example.com>',
    'Call-ID: c1@192.0.2.10',
    'CSeq: 1 INVITE',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

describe('fixed vectors', () => {
  it('writes the branch as the magic cookie, the marker, the selector and a random tail', () => {
    const branch = relayBranch(selector);
    expect(branch).toMatch(new RegExp(`^z9hG4bKsw${selector}-[A-Za-z0-9_-]{16}$`));
    expect(relayBranch(selector)).not.toBe(branch);
  });

  it('reads the selector of a written branch and of nothing else', () => {
    expect(selectorFromBranch(`z9hG4bKsw${selector}-abcdefgh`)).toBe(selector);
    expect(selectorFromBranch(`z9hG4bKsw${selector}abcdefgh`)).toBeUndefined();
    expect(selectorFromBranch(`z9hG4bKsw${selector.toUpperCase()}-x`)).toBeUndefined();
    expect(selectorFromBranch(`z9hG4bK${selector}-x`)).toBeUndefined();
    expect(selectorFromBranch('z9hG4bKsw1234-x')).toBeUndefined();
    expect(selectorFromBranch(undefined)).toBeUndefined();
  });

  it('writes Record-Route and Contact values at the router address', () => {
    expect(recordRouteFor(selector, router)).toBe(
      `<sip:sip.example.net:5060;transport=udp;lr;sw=${selector}>`,
    );
    expect(recordRouteFor(selector, { host: '2001:db8::1', protocol: 'tcp' })).toBe(
      `<sip:[2001:db8::1];transport=tcp;lr;sw=${selector}>`,
    );
    expect(contactFor(selector, { host: '192.0.2.1', port: 5061, protocol: 'tls' })).toBe(
      `<sip:${selector}@192.0.2.1:5061;transport=tls>`,
    );
  });

  it('refuses to write a marker for something that is not a selector', () => {
    expect(() => relayBranch('alice')).toThrow(
      expect.objectContaining({ code: 'BAD_SELECTOR' }) as Error,
    );
    expect(() => recordRouteFor('ALICE', router)).toThrow(
      expect.objectContaining({ code: 'BAD_SELECTOR' }) as Error,
    );
    expect(() => contactFor(selector.toUpperCase(), router)).toThrow(
      expect.objectContaining({ code: 'BAD_SELECTOR' }) as Error,
    );
  });

  it('reads a selector from a URI user part or our parameter only', () => {
    expect(selectorFromUri(parseUri(`sip:${selector}@router.example`))).toBe(selector);
    expect(selectorFromUri(parseUri(`sips:${selector}@router.example`))).toBe(selector);
    expect(selectorFromUri(parseUri(`sip:router.example;lr;sw=${selector}`))).toBe(selector);
    expect(selectorFromUri(parseUri('sip:alice@router.example'))).toBeUndefined();
    expect(selectorFromUri(parseUri('sip:router.example;sw=abc'))).toBeUndefined();
    expect(selectorFromUri(parseUri(`tel:+4930123`))).toBeUndefined();
  });
});

describe('findSelector', () => {
  it('finds a request by its Request-URI user part', () => {
    expect(findSelector(parse(request(`sip:${selector}@sip.example.net`)))).toEqual({
      selector,
      source: 'request-uri',
    });
  });

  it('prefers a top Route with our parameter over the Request-URI', () => {
    const text = request(`sip:${other}@device.example`, [
      `Route: ${recordRouteFor(selector, router)}`,
    ]);
    expect(findSelector(parse(text))).toEqual({ selector, source: 'route' });
  });

  it('ignores a Route that does not name us and falls back to the Request-URI', () => {
    const text = request(`sip:${other}@device.example`, [
      `Route: ${recordRouteFor(selector, router)}`,
    ]);
    const isOwnUri = (): boolean => false;
    expect(findSelector(parse(text), { isOwnUri })).toEqual({
      selector: other,
      source: 'request-uri',
    });
    const plainRoute = request(`sip:${other}@x.example`, ['Route: <sip:proxy.example;lr>']);
    expect(findSelector(parse(plainRoute))?.selector).toBe(other);
  });

  it('finds nothing in a request for a plain user, and reads a broken Route as no selector', () => {
    expect(findSelector(parse(request('sip:alice@sip.example.net')))).toBeUndefined();
    const broken = request('sip:alice@sip.example.net', ['Route: <sip:@@@;lr']);
    expect(findSelector(parse(broken))).toBeUndefined();
  });

  it('finds a response by its top Via branch only', () => {
    const sent = parse(
      request('sip:alice@upstream.example', [
        `Via: SIP/2.0/UDP sip.example.net;branch=${relayBranch(selector)}`,
      ]).replace(/^Via: SIP\/2\.0\/UDP 192.*\r\n/m, ''),
    );
    expect(sent.type).toBe('request');
    if (sent.type !== 'request') return;
    const response = createResponse(sent, 200, 'OK', { toTag: 't1' });
    const received = parse(serializeMessage(response).toString('latin1'));
    expect(findSelector(received)).toEqual({ selector, source: 'via-branch' });
    const upstreams = createResponse(parse(request(`sip:${selector}@x`)) as never, 180, 'Ringing');
    expect(findSelector(upstreams)).toBeUndefined();
  });
});

describe('round trips through the parser', () => {
  const selectorArb = fc.stringMatching(/^[0-9a-f]{40}$/);
  const addressArb = fc.record({
    host: fc.oneof(
      fc.ipV4(),
      fc.constantFrom('sip.example.net', 'r1.sipwake.test', '::1', '2001:db8::5'),
    ),
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    protocol: fc.constantFrom('udp', 'tcp', 'tls', 'ws', 'wss' as const),
  });

  it('a Route made from recordRouteFor gives back its selector', () => {
    fc.assert(
      fc.property(selectorArb, selectorArb, addressArb, (sel, ruri, address) => {
        const built = createRequest({
          method: 'BYE',
          uri: `sip:${ruri}@device.example`,
          headers: [
            ['Via', 'SIP/2.0/TCP 192.0.2.1;branch=z9hG4bKx'],
            ['Route', recordRouteFor(sel, address)],
            ['From', '<sip:a@b>;tag=1'],
            ['To', '<sip:c@d>;tag=2'],
            ['Call-ID', 'x@y'],
            ['CSeq', '2 BYE'],
          ],
        });
        const parsed = parseMessage(serializeMessage(built));
        expect(findSelector(parsed)).toEqual({ selector: sel, source: 'route' });
      }),
    );
  });

  it('a Contact made from contactFor, used as a Request-URI, gives back its selector', () => {
    fc.assert(
      fc.property(selectorArb, addressArb, (sel, address) => {
        const contact = parseNameAddr(contactFor(sel, address));
        expect(selectorFromUri(contact.uri)).toBe(sel);
        const built = createRequest({
          method: 'ACK',
          uri: contact.uriText,
          headers: [
            ['Via', 'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKy'],
            ['From', '<sip:a@b>;tag=1'],
            ['To', '<sip:c@d>;tag=2'],
            ['Call-ID', 'x@y'],
            ['CSeq', '1 ACK'],
          ],
        });
        expect(findSelector(parseMessage(serializeMessage(built)))?.selector).toBe(sel);
      }),
    );
  });

  it('a relay branch survives a response built and parsed again', () => {
    fc.assert(
      fc.property(selectorArb, (sel) => {
        const built = createRequest({
          method: 'OPTIONS',
          uri: 'sip:registrar.example',
          headers: [
            ['Via', `SIP/2.0/UDP sip.example.net:5060;branch=${relayBranch(sel)};rport`],
            ['From', '<sip:a@b>;tag=1'],
            ['To', '<sip:c@d>'],
            ['Call-ID', 'x@y'],
            ['CSeq', '1 OPTIONS'],
          ],
        });
        const response = createResponse(parseMessage(serializeMessage(built)) as never, 200);
        expect(findSelector(parseMessage(serializeMessage(response)))).toEqual({
          selector: sel,
          source: 'via-branch',
        });
      }),
    );
  });
});
