import {
  sipHeader,
  sipHeaders,
  sipMethod,
  sipRequest,
  sipResponseFor,
  sipStatus,
} from './sip-text.js';

const INVITE = [
  'INVITE sip:bob@example.test SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKa',
  'v: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bKb',
  'f: <sip:alice@example.test>;tag=1',
  'To: <sip:bob@example.test>',
  'i: abc@host',
  'CSeq: 1 INVITE',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

describe('sip-text', () => {
  it('reads header fields by full and compact name', () => {
    expect(sipHeaders(INVITE, 'Via')).toEqual([
      'SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKa',
      'SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bKb',
    ]);
    expect(sipHeader(INVITE, 'call-id')).toBe('abc@host');
    expect(sipHeader(INVITE, 'from')).toBe('<sip:alice@example.test>;tag=1');
    expect(sipMethod(INVITE)).toBe('INVITE');
    expect(sipStatus(INVITE)).toBeUndefined();
  });

  it('builds a response that copies Via, From, To (with a new tag), Call-ID and CSeq', () => {
    const response = sipResponseFor(INVITE, 180, 'Ringing', { toTag: 'x9' });
    expect(sipStatus(response)).toBe(180);
    expect(sipHeaders(response, 'via')).toHaveLength(2);
    expect(sipHeader(response, 'to')).toBe('<sip:bob@example.test>;tag=x9');
    expect(sipHeader(response, 'call-id')).toBe('abc@host');
    expect(sipHeader(response, 'cseq')).toBe('1 INVITE');
    expect(response.endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
  });

  it('builds a request with a magic-cookie branch, a From tag and a correct Content-Length', () => {
    const request = sipRequest({
      method: 'MESSAGE',
      uri: 'sip:bob@example.test',
      local: { address: '127.0.0.1', port: 5070 },
      from: 'sip:alice@example.test',
      to: 'sip:bob@example.test',
      body: 'héllo',
    });
    expect(sipHeader(request, 'via')).toMatch(
      /^SIP\/2\.0\/UDP 127\.0\.0\.1:5070;branch=z9hG4bK\w+;rport$/,
    );
    expect(sipHeader(request, 'from')).toMatch(/;tag=\w+$/);
    expect(sipHeader(request, 'content-length')).toBe('6');
    expect(request.endsWith('\r\n\r\nhéllo')).toBe(true);
  });
});
