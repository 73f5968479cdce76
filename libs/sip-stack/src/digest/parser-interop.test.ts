// A REGISTER challenged and answered as SIP messages: the challenge values go into a 401, the
// answer into the retried REGISTER, and both are read back by @sipwake/sip-parser.
import { parseMessage, type SipRequest, type SipResponse } from '@sipwake/sip-parser';
import { createManualClock } from '../clock.js';
import { createDigestClient } from './client.js';
import { createDigestServer } from './server.js';

function register(cseq: number, authorization: readonly string[]): Buffer {
  const lines = [
    'REGISTER sip:b.example SIP/2.0',
    `Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-${cseq};rport`,
    'Max-Forwards: 70',
    'From: <sip:alice@b.example>;tag=a1',
    'To: <sip:alice@b.example>',
    'Call-ID: digest-interop-1',
    `CSeq: ${cseq} REGISTER`,
    'Contact: <sip:alice@127.0.0.1:5070>',
    ...authorization.map((v) => `Authorization: ${v}`),
    'Content-Length: 0',
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`);
}

function unauthorized(header: string, values: readonly string[]): Buffer {
  const lines = [
    'SIP/2.0 401 Unauthorized',
    'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1;rport=5070',
    'From: <sip:alice@b.example>;tag=a1',
    'To: <sip:alice@b.example>;tag=r1',
    'Call-ID: digest-interop-1',
    'CSeq: 1 REGISTER',
    ...values.map((v) => `${header}: ${v}`),
    'Content-Length: 0',
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`);
}

describe('digest through parsed SIP messages', () => {
  it('registers after one 401, with a username that needs escaping', async () => {
    const server = createDigestServer({
      realm: 'b.example',
      secret: 'interop secret of thirty-two byte',
      clock: createManualClock(),
      lookup: async (u) => (u === 'al"ice\\x' ? { password: 'pw' } : undefined),
    });
    const client = createDigestClient({ credentials: { username: 'al"ice\\x', password: 'pw' } });

    const first = parseMessage(register(1, [])) as SipRequest;
    const verdict = await server.verify({
      method: first.method,
      uri: first.uri,
      authorization: first.authorization(),
    });
    if (verdict.ok) throw new Error('expected a challenge');
    const response = parseMessage(
      unauthorized(verdict.challenge.header, verdict.challenge.values),
    ) as SipResponse;
    expect(response.wwwAuthenticate().map((c) => c.params['algorithm'])).toEqual([
      'SHA-256',
      'MD5',
    ]);

    const answers = client.answer({
      method: 'REGISTER',
      uri: 'sip:b.example',
      wwwAuthenticate: response.wwwAuthenticate(),
    });
    const second = parseMessage(
      register(
        2,
        answers.map((a) => a.value),
      ),
    ) as SipRequest;
    expect(second.authorization()[0]?.params).toEqual(answers[0]?.params);
    const result = await server.verify({
      method: second.method,
      uri: second.uri,
      authorization: second.authorization(),
    });
    expect(result).toMatchObject({ ok: true, username: 'al"ice\\x', algorithm: 'SHA-256' });
  });
});
