import { runSipParse, type SipParseIo } from './cli-main.js';
import { INVITE, RINGING } from './test-support/messages.js';

function io(files: Record<string, Buffer>, stdin: Buffer = Buffer.alloc(0)) {
  const out: string[] = [];
  const err: string[] = [];
  const value: SipParseIo = {
    readFile: async (path) => {
      const f = files[path];
      if (f === undefined) throw new Error(`ENOENT: ${path}`);
      return f;
    },
    readStdin: async () => stdin,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  };
  return { io: value, out, err };
}

describe('sip-parse', () => {
  test('prints a request as JSON with headers by lower-case full name, values in order', async () => {
    const t = io({ 'invite.sip': INVITE });
    expect(await runSipParse(['invite.sip'], t.io)).toBe(0);
    const printed = JSON.parse(t.out.join(''));
    expect(printed).toMatchObject({
      type: 'request',
      method: 'INVITE',
      uri: 'sip:bob@biloxi.example.com',
      bodyLength: INVITE.length - INVITE.indexOf('\r\n\r\n') - 4,
    });
    expect(printed.headers.via).toEqual([
      'SIP/2.0/UDP proxy.atlanta.example.com:5060;branch=z9hG4bK2d4790.1',
      'SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKnashds8;received=192.0.2.10',
    ]);
    expect(printed.headers['call-id']).toEqual(['3848276298220188511@atlanta.example.com']);
    expect(Object.keys(printed)).toEqual(['type', 'method', 'uri', 'headers', 'bodyLength']);
    expect(t.err).toEqual([]);
  });

  test('reads standard input for -', async () => {
    const t = io({}, RINGING);
    expect(await runSipParse(['-'], t.io)).toBe(0);
    expect(JSON.parse(t.out.join(''))).toMatchObject({
      type: 'response',
      status: 180,
      reason: 'Ringing',
      bodyLength: 0,
    });
  });

  test('expands compact names', async () => {
    const msg = Buffer.from(
      'OPTIONS sip:a@b SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nf: <sip:a@b>;tag=1\r\n' +
        't: <sip:b@c>\r\ni: x@y\r\nCSeq: 1 OPTIONS\r\nl: 0\r\n\r\n',
    );
    const t = io({ m: msg });
    expect(await runSipParse(['m'], t.io)).toBe(0);
    const h = JSON.parse(t.out.join('')).headers;
    expect(Object.keys(h)).toEqual(['via', 'from', 'to', 'call-id', 'cseq', 'content-length']);
  });

  test('reports a malformed message with its code on stderr and exits 1', async () => {
    const bad = Buffer.from(
      INVITE.toString('latin1').replace('CSeq: 1 INVITE', 'CSeq: 1 BYE'),
      'latin1',
    );
    const t = io({ bad });
    expect(await runSipParse(['bad'], t.io)).toBe(1);
    expect(t.out).toEqual([]);
    expect(t.err.join('')).toMatch(/^SipParseError CSEQ_METHOD_MISMATCH: /);
  });

  test('usage error without a file, exit 2 for an unreadable one', async () => {
    const t = io({});
    expect(await runSipParse([], t.io)).toBe(2);
    expect(t.err.join('')).toContain('usage: sip-parse FILE');
    expect(await runSipParse(['missing'], t.io)).toBe(2);
  });
});
