import { ParseErrorCode, SipParseError, parseMessage } from './index.js';
import type { SipRequest, SipResponse } from './index.js';
import { BYE, INVITE, REGISTER, RINGING, UNAUTHORIZED } from './test-support/messages.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SipParseError);
    return (e as SipParseError).code;
  }
  return undefined;
}

function text(lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
}

const BASE = [
  'Via: SIP/2.0/UDP h.example.com;branch=z9hG4bK1',
  'From: <sip:a@example.com>;tag=1',
  'To: <sip:b@example.com>',
  'Call-ID: c1@example.com',
  'CSeq: 1 OPTIONS',
];

describe('parseMessage', () => {
  test('reads a REGISTER with its transaction fields', () => {
    const m = parseMessage(REGISTER) as SipRequest;
    expect(m.type).toBe('request');
    expect(m.method).toBe('REGISTER');
    expect(m.uri).toBe('sip:example.com');
    expect(m.topVia().branch).toBe('z9hG4bK776asdhds');
    expect(m.topVia().rport).toBe(true);
    expect(m.from().tag).toBe('1928301774');
    expect(m.to().tag).toBeUndefined();
    expect(m.callId()).toBe('a84b4c76e66710@pc33.example.com');
    expect(m.cseq()).toEqual({ seq: 2, method: 'REGISTER' });
    expect(m.maxForwards()).toBe(70);
    const contacts = m.contacts();
    expect(contacts).not.toBe('*');
    const c = (contacts as Exclude<typeof contacts, '*'>)[0]!;
    expect(c.expires).toBe(3600);
    expect(c.instance).toBe('urn:uuid:00000000-0000-1000-8000-000A95A0E128');
    expect(c.push.provider).toBe('apns');
    expect(c.push.prid).toBe('00fc13adff78512');
    expect(m.authorization()[0]!.params.username).toBe('alice');
    expect(m.contentLength()).toBe(0);
    expect(m.body.length).toBe(0);
  });

  test('reads a 401 challenge', () => {
    const m = parseMessage(UNAUTHORIZED) as SipResponse;
    expect(m.status).toBe(401);
    expect(m.reason).toBe('Unauthorized');
    const ch = m.wwwAuthenticate()[0]!;
    expect(ch.scheme).toBe('Digest');
    expect(ch.params).toMatchObject({
      realm: 'example.com',
      qop: 'auth',
      opaque: '',
      stale: 'FALSE',
    });
    expect(m.topVia().received).toBe('192.0.2.10');
    expect(m.topVia().rport).toBe(5060);
  });

  test('reads an INVITE with two Vias and an SDP body', () => {
    const m = parseMessage(INVITE) as SipRequest;
    expect(m.via().map((v) => v.branch)).toEqual(['z9hG4bK2d4790.1', 'z9hG4bKnashds8']);
    expect(m.from().displayName).toBe('Alice A.');
    expect(m.contentType()).toBe('application/sdp');
    expect(m.body.toString()).toContain('m=audio 49170');
    expect(m.supported()).toEqual(['replaces', 'outbound']);
    expect(m.recordRoute()[0]!.uri.params).toEqual({ lr: null });
  });

  test('reads Reason and the 180 extension header', () => {
    const bye = parseMessage(BYE);
    expect(bye.reasons()).toEqual([
      expect.objectContaining({ protocol: 'SIP', cause: 200, text: 'Call completed elsewhere' }),
    ]);
    const r = parseMessage(RINGING);
    expect(r.headers.get('x-sipwake-push-status')).toBe('Alerting-Device');
    expect(r.to().tag).toBe('314159');
  });

  test('rejects what a transaction layer cannot use', () => {
    expect(
      codeOf(() =>
        parseMessage(text(['OPTIONS sip:x SIP/2.0', ...BASE.slice(1)]), { datagram: true }),
      ),
    ).toBe(ParseErrorCode.MissingHeader);
    expect(
      codeOf(() =>
        parseMessage(text(['OPTIONS sip:x SIP/2.0', ...BASE, 'CSeq: 2 OPTIONS']), {
          datagram: true,
        }),
      ),
    ).toBe(ParseErrorCode.DuplicateHeader);
    expect(
      codeOf(() =>
        parseMessage(text(['OPTIONS sip:x SIP/2.0', ...BASE, 'Max-Forwards: 256']), {
          datagram: true,
        }),
      ),
    ).toBe(ParseErrorCode.BadMaxForwards);
    expect(
      codeOf(() => parseMessage(text(['OPTIONS sip:x SIP/3.0', ...BASE]), { datagram: true })),
    ).toBe(ParseErrorCode.BadVersion);
    expect(codeOf(() => parseMessage(text(['OPTIONS sip:x SIP/2.0', ...BASE])))).toBe(
      ParseErrorCode.MissingContentLength,
    );
  });
});
