import { ParseErrorCode, SipParseError, createStreamFramer } from './index.js';
import type { FramerEvent, SipRequest } from './index.js';
import { BYE, INVITE, REGISTER, TYPICAL } from './test-support/messages.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SipParseError);
    return (e as SipParseError).code;
  }
  return undefined;
}

const types = (events: readonly FramerEvent[]): string[] => events.map((e) => e.type);
const callIds = (events: readonly FramerEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'message' ? [e.message.callId()] : []));

describe('stream framer', () => {
  test('frames several messages from one chunk, in order', () => {
    const framer = createStreamFramer();
    const events = framer.push(Buffer.concat(TYPICAL));
    expect(types(events)).toEqual(TYPICAL.map(() => 'message'));
    expect(events.map((e) => (e.type === 'message' ? e.bytes.length : 0))).toEqual(
      TYPICAL.map((m) => m.length),
    );
    expect(framer.buffered).toBe(0);
  });

  test('frames one message fed byte by byte, body included', () => {
    const framer = createStreamFramer();
    const events: FramerEvent[] = [];
    for (let i = 0; i < INVITE.length; i++) {
      events.push(...framer.push(INVITE.subarray(i, i + 1)));
      if (i < INVITE.length - 1) expect(events).toEqual([]);
    }
    expect(types(events)).toEqual(['message']);
    const msg = (events[0] as { message: SipRequest }).message;
    expect(msg.method).toBe('INVITE');
    expect(msg.body.toString()).toContain('m=audio');
    expect(framer.buffered).toBe(0);
  });

  test('a message split across chunks at every position frames the same', () => {
    for (let cut = 1; cut < BYE.length; cut += 7) {
      const framer = createStreamFramer();
      const events = [...framer.push(BYE.subarray(0, cut)), ...framer.push(BYE.subarray(cut))];
      expect(callIds(events)).toEqual(['3848276298220188511@atlanta.example.com']);
    }
  });

  test('RFC 5626 keep-alives: CRLFCRLF is a ping, a lone CRLF a pong', () => {
    const framer = createStreamFramer();
    expect(types(framer.push(Buffer.from('\r\n\r\n')))).toEqual(['ping']);
    expect(types(framer.push(Buffer.from('\r\n')))).toEqual(['pong']);
    expect(types(framer.push(Buffer.from('\r\n\r\n\r\n\r\n')))).toEqual(['ping', 'ping']);
    expect(framer.buffered).toBe(0);
  });

  test('a CRLFCRLF split in two halves waits for the second half', () => {
    const framer = createStreamFramer();
    expect(framer.push(Buffer.from('\r'))).toEqual([]);
    expect(framer.push(Buffer.from('\n\r'))).toEqual([]);
    expect(types(framer.push(Buffer.from('\n')))).toEqual(['ping']);
  });

  describe('as the client of the flow (it sent the pings)', () => {
    test('a pong that arrives with the next message is reported before it', () => {
      const framer = createStreamFramer({ keepAliveRole: 'client' });
      const events = framer.push(Buffer.concat([Buffer.from('\r\n'), REGISTER]));
      expect(types(events)).toEqual(['pong', 'message']);
    });

    test('a pong between two messages of one read is reported in order', () => {
      const framer = createStreamFramer({ keepAliveRole: 'client' });
      const events = framer.push(Buffer.concat([REGISTER, Buffer.from('\r\n'), BYE]));
      expect(types(events)).toEqual(['message', 'pong', 'message']);
    });

    test('a pong alone is reported at once; CRLFCRLF is still a ping', () => {
      const framer = createStreamFramer({ keepAliveRole: 'client' });
      expect(types(framer.push(Buffer.from('\r\n')))).toEqual(['pong']);
      expect(types(framer.push(Buffer.from('\r\n\r\n')))).toEqual(['ping']);
      expect(framer.buffered).toBe(0);
    });

    test('a pong whose LF comes in the next read is reported with that read', () => {
      const framer = createStreamFramer({ keepAliveRole: 'client' });
      expect(framer.push(Buffer.from('\r'))).toEqual([]);
      expect(types(framer.push(Buffer.concat([Buffer.from('\n'), BYE])))).toEqual([
        'pong',
        'message',
      ]);
    });
  });

  describe('as the server of the flow (the peer pings)', () => {
    test('a ping split after its first CRLF is one ping, not two pongs', () => {
      const framer = createStreamFramer({ keepAliveRole: 'server' });
      expect(framer.push(Buffer.from('\r\n'))).toEqual([]);
      expect(framer.buffered).toBe(2);
      expect(types(framer.push(Buffer.from('\r\n')))).toEqual(['ping']);
      expect(framer.buffered).toBe(0);
    });

    test('a ping split after its first CRLF, with a message behind it', () => {
      const framer = createStreamFramer({ keepAliveRole: 'server' });
      expect(framer.push(Buffer.from('\r\n'))).toEqual([]);
      const events = framer.push(Buffer.concat([Buffer.from('\r\n'), REGISTER]));
      expect(types(events)).toEqual(['ping', 'message']);
    });

    test('a lone CRLF is never a pong: before a start line it is ignored (RFC 3261 §7.5)', () => {
      const framer = createStreamFramer({ keepAliveRole: 'server' });
      expect(framer.push(Buffer.from('\r\n'))).toEqual([]);
      expect(types(framer.push(REGISTER))).toEqual(['message']);
      const events = framer.push(Buffer.concat([Buffer.from('\r\n'), BYE, Buffer.from('\r\n')]));
      expect(types(events)).toEqual(['message']);
      expect(framer.buffered).toBe(2);
    });
  });

  test('CRLFs before a start line are ignored (RFC 3261 §7.5)', () => {
    const framer = createStreamFramer();
    const events = framer.push(
      Buffer.concat([Buffer.from('\r\n'), REGISTER, Buffer.from('\r\n'), BYE]),
    );
    expect(types(events)).toEqual(['message', 'message']);
  });

  test('a framed message that does not parse is reported and framing goes on', () => {
    const bad = Buffer.from(
      'OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCSeq: 1 OPTIONS\r\n' +
        'Content-Length: 4\r\n\r\nbody',
    );
    const framer = createStreamFramer();
    const events = framer.push(Buffer.concat([bad, REGISTER]));
    expect(types(events)).toEqual(['invalid', 'message']);
    const invalid = events[0] as unknown as { bytes: Buffer; error: SipParseError };
    expect(invalid.bytes.equals(bad)).toBe(true);
    expect(invalid.error.code).toBe(ParseErrorCode.MissingHeader);
    expect(framer.buffered).toBe(0);
  });

  test('a header section over the bound loses the framing', () => {
    const framer = createStreamFramer({ maxHeaderBytes: 256 });
    expect(codeOf(() => framer.push(Buffer.alloc(300, 'a')))).toBe(ParseErrorCode.HeaderTooLarge);
    const long = Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\nX: ${'x'.repeat(300)}\r\n\r\n`);
    expect(codeOf(() => createStreamFramer({ maxHeaderBytes: 256 }).push(long))).toBe(
      ParseErrorCode.HeaderTooLarge,
    );
  });

  test('a body over the bound loses the framing before it is read', () => {
    const framer = createStreamFramer({ maxBodyBytes: 100 });
    const head = Buffer.from('MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 101\r\n\r\n');
    expect(codeOf(() => framer.push(head))).toBe(ParseErrorCode.BodyTooLarge);
  });

  test('no Content-Length, or a bad one, loses the framing', () => {
    const noLength = Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n\r\n');
    expect(codeOf(() => createStreamFramer().push(noLength))).toBe(
      ParseErrorCode.MissingContentLength,
    );
    const bad = Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nl: five\r\n\r\n');
    expect(codeOf(() => createStreamFramer().push(bad))).toBe(ParseErrorCode.BadContentLength);
  });

  test('a compact, folded Content-Length frames the body', () => {
    const msg = Buffer.from(
      'MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nf: <sip:a@b>;tag=1\r\n' +
        't: <sip:b@c>\r\ni: c@d\r\nCSeq: 1 MESSAGE\r\nl:\r\n 5\r\n\r\nhello',
    );
    const events = createStreamFramer().push(msg);
    expect(types(events)).toEqual(['message']);
    expect((events[0] as { message: SipRequest }).message.body.toString()).toBe('hello');
  });

  test('buffered counts what waits for the rest of a message', () => {
    const framer = createStreamFramer();
    framer.push(INVITE.subarray(0, 100));
    expect(framer.buffered).toBe(100);
    framer.push(INVITE.subarray(100));
    expect(framer.buffered).toBe(0);
  });
});

describe('stream framer memory', () => {
  test('a framed message is a copy, not a view of the chunk it came in', () => {
    const framer = createStreamFramer();
    const chunk = Buffer.concat([REGISTER, BYE]);
    const events = framer.push(chunk);
    chunk.fill(0x41);
    expect(events).toHaveLength(2);
    for (const e of events) {
      if (e.type !== 'message') throw new Error(e.type);
      expect(e.bytes.subarray(0, 3).toString()).toMatch(/^(REG|BYE)$/);
      expect(e.message.callId()).toMatch(/@/);
    }
  });
});
