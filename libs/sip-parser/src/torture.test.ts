// Conformance over the RFC 4475 / RFC 5118 torture corpus (../shared/sip-torture): every
// message the manifest says to accept parses in datagram mode and yields every listed value;
// every message to reject throws SipParseError (or, for problems no parser sees, the element
// check gives the RFC's response); every reject-or-tolerate case either rejects or is listed
// in the README as a tolerated deviation with the value the notes describe.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ParseErrorCode,
  SipParseError,
  checkMessage,
  checkRequest,
  createStreamFramer,
  parseMessage,
  serializeMessage,
  statusForParseError,
} from './index.js';
import type { SipMessage, SipRequest } from './index.js';
import { CHECKERS } from './test-support/torture-values.js';
import { loadTorture, readTortureFile, type TortureEntry } from './test-support/torture.js';

const { dir, entries } = loadTorture();
const described = entries.filter((e) => e.rfc_described);
const name = (e: TortureEntry): string => e.file.replace(/^.*\//, '').replace(/\.dat$/, '');
const bytesOf = (e: TortureEntry): Buffer => readTortureFile(dir, e);
const parseDatagram = (e: TortureEntry): SipMessage => parseMessage(bytesOf(e), { datagram: true });

function parseError(fn: () => unknown): SipParseError | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof SipParseError) return e;
    throw e;
  }
  return undefined;
}

/** The parse error each `reject` message must give. */
const REJECT: Readonly<Record<string, ParseErrorCode>> = {
  badinv01: ParseErrorCode.BadVia,
  clerr: ParseErrorCode.TruncatedBody,
  ncl: ParseErrorCode.BadContentLength,
  scalar02: ParseErrorCode.BadCseq,
  scalarlg: ParseErrorCode.BadCseq,
  badvers: ParseErrorCode.BadVersion,
  mismatch01: ParseErrorCode.CseqMethodMismatch,
  mismatch02: ParseErrorCode.CseqMethodMismatch,
  bigcode: ParseErrorCode.BadStatus,
  insuf: ParseErrorCode.MissingHeader,
  multi01: ParseErrorCode.DuplicateHeader,
  mcl01: ParseErrorCode.BadContentLength,
  'ipv6-bad': ParseErrorCode.BadRequestUri,
};

type Decision =
  | { readonly reject: ParseErrorCode; readonly by: 'parse' | 'check' }
  | { readonly tolerate: (m: SipMessage, e: TortureEntry) => void };

/** What sipwake does with each reject-or-tolerate message. */
const DECISIONS: Readonly<Record<string, Decision>> = {
  quotbal: { reject: ParseErrorCode.BadNameAddr, by: 'parse' },
  ltgtruri: { reject: ParseErrorCode.BadRequestUri, by: 'parse' },
  lwsruri: { reject: ParseErrorCode.BadStartLine, by: 'parse' },
  lwsstart: { reject: ParseErrorCode.BadStartLine, by: 'parse' },
  trws: { reject: ParseErrorCode.BadStartLine, by: 'parse' },
  escruri: { reject: ParseErrorCode.BadRequestUri, by: 'parse' },
  regbadct: { reject: ParseErrorCode.BadNameAddr, by: 'check' },
  badaspec: { reject: ParseErrorCode.BadUri, by: 'check' },
  baddn: { reject: ParseErrorCode.BadNameAddr, by: 'parse' },
  // RFC 4475 §3.1.2.15: a liberal element may ignore a Date it does not need. The parser does
  // not interpret Date: the value is exposed exactly as written.
  baddate: {
    tolerate: (m, e) => {
      expect(m.headers.get('date')).toBe(e.values.date);
      expect(checkMessage(m)).toBeUndefined();
    },
  },
};

/** What the element check answers for accepted messages with application-level problems. */
const ELEMENT: Readonly<Record<string, (m: SipRequest) => void>> = {
  unkscm: (m) => expect(checkRequest(m)).toMatchObject({ status: 416 }),
  novelsc: (m) => expect(checkRequest(m)).toMatchObject({ status: 416 }),
  bext01: (m) => {
    expect(checkRequest(m)).toMatchObject({
      status: 420,
      unsupported: ['nothingsupportsthis', 'nothingsupportsthiseither'],
    });
    expect(checkRequest(m, { role: 'proxy' })).toMatchObject({
      status: 420,
      header: 'proxy-require',
      unsupported: ['noproxiessupportthis', 'nordoanyproxiessupportthis'],
    });
    expect(
      checkRequest(m, { supported: ['nothingsupportsthis', 'nothingsupportsthiseither'] }),
    ).toBeUndefined();
  },
};

describe('torture corpus', () => {
  test('holds the 61 RFC-described messages and test.dat', () => {
    expect(described).toHaveLength(61);
    expect(entries.filter((e) => !e.rfc_described).map(name)).toEqual(['test']);
  });

  describe.each(described.filter((e) => e.expect === 'accept').map((e) => [name(e), e] as const))(
    'accepts %s',
    (_n, entry) => {
      test('with every listed value', () => {
        const m = parseDatagram(entry);
        expect(m.type).toBe(entry.kind);
        if (m.type === 'request') expect(m.method).toBe(entry.method);
        else expect(m.status).toBe(entry.status);
        expect(m.headers.entries()).toHaveLength(entry.header_fields);
        expect(m.via()).toHaveLength(entry.via_count);
        for (const [key, value] of Object.entries(entry.values)) {
          const check = CHECKERS[key];
          if (check === undefined) throw new Error(`no checker for value ${key}`);
          check(m, value);
        }
      });

      test('as the element check expects', () => {
        const m = parseDatagram(entry);
        const element = ELEMENT[name(entry)];
        if (element !== undefined) element(m as SipRequest);
        else if (m.type === 'request') expect(checkRequest(m)).toBeUndefined();
        else expect(checkMessage(m)).toBeUndefined();
      });

      test('and re-serializes to an equivalent message', () => {
        const m = parseDatagram(entry);
        m.headers.append('X-Rebuilt', 'yes'); // forces a rebuild rather than the raw bytes
        const again = parseMessage(serializeMessage(m));
        const fields = (x: SipMessage) =>
          x.headers.entries().filter(([n]) => n !== 'content-length' && n !== 'x-rebuilt');
        expect(fields(again)).toEqual(fields(parseDatagram(entry)));
        expect(again.headers.get('x-rebuilt')).toBe('yes');
        expect(again.contentLength()).toBe(m.body.length);
        expect(again.body.equals(m.body)).toBe(true);
        expect(again.callId()).toBe(m.callId());
      });
    },
  );

  test.each(Object.keys(REJECT))('rejects %s with its code', (file) => {
    const entry = described.find((e) => name(e) === file)!;
    expect(entry.expect).toBe('reject');
    const err = parseError(() => parseDatagram(entry));
    expect(err?.code).toBe(REJECT[file]);
  });

  test('every reject entry is covered', () => {
    const rejects = described.filter((e) => e.expect === 'reject').map(name);
    expect(rejects.sort()).toEqual(Object.keys(REJECT).sort());
  });

  test('answers 505 to badvers and 400 to the other rejected requests', () => {
    for (const file of Object.keys(REJECT)) {
      const entry = described.find((e) => name(e) === file)!;
      const err = parseError(() => parseDatagram(entry))!;
      expect(statusForParseError(err)).toBe(file === 'badvers' ? 505 : 400);
    }
  });

  test.each(Object.keys(DECISIONS))('reject-or-tolerate %s as decided', (file) => {
    const entry = described.find((e) => name(e) === file)!;
    expect(entry.expect).toBe('reject-or-tolerate');
    const d = DECISIONS[file]!;
    if ('reject' in d && d.by === 'parse') {
      expect(parseError(() => parseDatagram(entry))?.code).toBe(d.reject);
    } else if ('reject' in d) {
      expect(checkMessage(parseDatagram(entry))).toMatchObject({ status: 400, code: d.reject });
    } else {
      d.tolerate(parseDatagram(entry), entry);
    }
  });

  test('every reject-or-tolerate entry is decided, tolerated ones in the README', () => {
    const cases = described.filter((e) => e.expect === 'reject-or-tolerate').map(name);
    expect(cases.sort()).toEqual(Object.keys(DECISIONS).sort());
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.split('## Tolerated deviations')[1]?.split('\n## ')[0] ?? '';
    for (const [file, d] of Object.entries(DECISIONS)) {
      expect(section.includes(`\`${file}\``)).toBe('tolerate' in d);
    }
  });

  test('test.dat (not described by the RFC) does not crash the parser', () => {
    const entry = entries.find((e) => name(e) === 'test')!;
    expect(parseError(() => parseDatagram(entry))).toBeInstanceOf(SipParseError);
    expect(() => createStreamFramer().push(bytesOf(entry))).not.toThrow(TypeError);
  });
});

describe('torture corpus on a stream', () => {
  const framed = described.filter(
    (e) =>
      e.expect === 'accept' &&
      e.header_section_terminated !== false &&
      e.content_length === e.octets_after_header_section,
  );

  test.each(framed.map((e) => [name(e), e] as const))('frames %s in 7-octet chunks', (_n, e) => {
    const framer = createStreamFramer();
    const bytes = bytesOf(e);
    const events = [];
    for (let i = 0; i < bytes.length; i += 7) events.push(...framer.push(bytes.subarray(i, i + 7)));
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe('message');
    expect(framer.buffered).toBe(0);
  });

  test('clerr waits for the 9999 octets and never yields a message', () => {
    const framer = createStreamFramer();
    const bytes = bytesOf(described.find((e) => name(e) === 'clerr')!);
    expect(framer.push(bytes)).toEqual([]);
    expect(framer.buffered).toBe(bytes.length);
  });

  test.each(['ncl', 'mcl01'])('%s loses the framing: the connection must close', (file) => {
    const framer = createStreamFramer();
    const bytes = bytesOf(described.find((e) => name(e) === file)!);
    let err: unknown;
    try {
      framer.push(bytes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SipParseError);
    expect((err as SipParseError).code).toBe(ParseErrorCode.BadContentLength);
  });

  test('dblreq on a stream is the REGISTER, the INVITE framed by its own length, then junk', () => {
    const bytes = bytesOf(described.find((e) => name(e) === 'dblreq')!);
    const invite = bytes.indexOf('INVITE ');
    const inviteBody = bytes.indexOf('\r\n\r\n', invite) + 4;
    const framer = createStreamFramer();
    const first = framer.push(bytes.subarray(0, invite - 2));
    expect(first.map((e) => e.type)).toEqual(['message']);
    expect((first[0] as { message: SipRequest }).message.method).toBe('REGISTER');
    // The CRLF before the INVITE is ignored (RFC 3261 §7.5).
    const second = framer.push(bytes.subarray(invite - 2, inviteBody + 150));
    expect(second.map((e) => e.type)).toEqual(['message']);
    expect((second[0] as { message: SipRequest }).message.body.length).toBe(150);
    // The 5 octets the INVITE's Content-Length leaves over cannot start a message.
    expect(() => framer.push(bytes.subarray(inviteBody + 150))).toThrow(SipParseError);
  });
});
