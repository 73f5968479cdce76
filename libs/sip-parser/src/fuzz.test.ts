// Fuzzing with fast-check (bounded runs): whatever the bytes, the parser and every accessor of
// an accepted message either return or throw SipParseError, never another error.
import fc from 'fast-check';
import {
  SipParseError,
  checkMessage,
  createStreamFramer,
  parseMessage,
  serializeMessage,
} from './index.js';
import type { SipMessage } from './index.js';
import { TYPICAL } from './test-support/messages.js';
import { loadTorture, readTortureFile } from './test-support/torture.js';

const { dir, entries } = loadTorture();
const SEEDS: readonly Buffer[] = [...TYPICAL, ...entries.map((e) => readTortureFile(dir, e))];
const SPECIAL = [13, 10, 32, 9, 0, 0xff, 0x80, 34, 92, 59, 44, 58, 60, 62, 37, 91, 93, 61, 64, 42];

/** Runs `fn`; anything thrown must be a SipParseError. */
function only<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
    return undefined;
  }
}

/** Reads every typed value of a message, including the lazily decoded ones. */
function readEverything(m: SipMessage): void {
  only(() => m.headers.entries());
  only(() => m.headers.get('via'));
  only(() => m.headers.getAll('contact'));
  for (const v of only(() => m.via()) ?? []) {
    for (const k of ['branch', 'received', 'rport', 'maddr', 'ttl', 'params'] as const)
      only(() => v[k]);
    only(() => JSON.stringify(v));
  }
  only(() => m.topVia().branch);
  for (const a of [only(() => m.from()), only(() => m.to())]) {
    if (a === undefined) continue;
    only(() => a.tag);
    only(() => a.uri);
    only(() => a.params);
    only(() => JSON.stringify(a));
  }
  only(() => m.callId());
  only(() => m.cseq());
  only(() => m.maxForwards());
  const contacts = only(() => m.contacts());
  if (contacts !== undefined && contacts !== '*') {
    for (const c of contacts) {
      for (const k of ['expires', 'q', 'instance', 'push', 'uri', 'params'] as const)
        only(() => c[k]);
      only(() => JSON.stringify(c));
    }
  }
  for (const read of [() => m.route(), () => m.recordRoute(), () => m.path()]) {
    for (const a of only(read) ?? []) only(() => a.uri);
  }
  only(() => m.expires());
  only(() => m.minExpires());
  only(() => m.wwwAuthenticate());
  only(() => m.proxyAuthenticate());
  only(() => m.authorization());
  only(() => m.proxyAuthorization());
  only(() => m.authenticationInfo());
  only(() => m.retryAfter());
  only(() => m.reasons());
  only(() => m.supported());
  only(() => m.require());
  only(() => m.contentType());
  only(() => m.contentLength());
  if (m.type === 'request') only(() => m.requestUri());
  only(() => checkMessage(m));
  const out = only(() => serializeMessage(m));
  if (out !== undefined) only(() => parseMessage(out, { datagram: true }));
  only(() => m.headers.append('X-Fuzz', '1'));
  only(() => serializeMessage(m));
  only(() => m.topVia());
}

type Mutation =
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number };

const byte = fc.oneof(fc.constantFrom(...SPECIAL), fc.integer({ min: 0, max: 255 }));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.array(byte, { maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 80 }),
  }),
);

function mutate(seed: Buffer, mutations: readonly Mutation[]): Buffer {
  let bytes = [...seed];
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % bytes.length;
    if (m.kind === 'set') bytes[at] = m.byte;
    else if (m.kind === 'insert') bytes.splice(at, 0, ...m.bytes);
    else if (m.kind === 'delete') bytes.splice(at, m.length);
    else bytes = [...bytes.slice(0, at + m.length), ...bytes.slice(at)];
  }
  return Buffer.from(bytes);
}

const seed = fc.integer({ min: 0, max: SEEDS.length - 1 }).map((i) => SEEDS[i]!);

describe('fuzz', () => {
  test('mutated torture and typical messages: only SipParseError, from parser and accessors', () => {
    fc.assert(
      fc.property(
        seed,
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (s, ms, datagram) => {
          const bytes = mutate(s, ms);
          const m = only(() => parseMessage(bytes, { datagram }));
          if (m !== undefined) readEverything(m);
        },
      ),
      { numRuns: 1500, seed: 4475 },
    );
  });

  test('an accepted message, rebuilt, parses to the same start line, fields and body', () => {
    const fields = (m: SipMessage) =>
      m.headers.entries().filter(([n]) => n !== 'content-length' && n !== 'x-rebuilt');
    fc.assert(
      fc.property(seed, fc.array(mutation, { maxLength: 4 }), (s, ms) => {
        const m = only(() => parseMessage(mutate(s, ms), { datagram: true }));
        if (m === undefined) return;
        const before = fields(m);
        m.headers.append('X-Rebuilt', '1');
        const again = parseMessage(serializeMessage(m));
        expect(fields(again)).toEqual(before);
        expect(again.body.equals(m.body)).toBe(true);
        if (m.type === 'request' && again.type === 'request') {
          expect([again.method, again.uri]).toEqual([m.method, m.uri]);
        } else if (m.type === 'response' && again.type === 'response') {
          expect([again.status, again.reason]).toEqual([m.status, m.reason]);
        } else throw new Error('type changed');
      }),
      { numRuns: 1500, seed: 3261 },
    );
  });

  test('every seed message, accepted or not, reads without other errors', () => {
    for (const s of SEEDS) {
      const m = only(() => parseMessage(s, { datagram: true }));
      if (m !== undefined) readEverything(m);
    }
  });

  test('random bytes and random text: only SipParseError', () => {
    const text = fc.string({
      unit: fc.constantFrom(...'SIP/2.0 INVITE sip:@;,="<>\r\n\t :Via From To CSeq 0123'.split('')),
      maxLength: 300,
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 600 }),
          text.map((t) => Buffer.from(t, 'latin1')),
        ),
        (b) => {
          const m = only(() => parseMessage(Buffer.from(b), { datagram: true }));
          if (m !== undefined) readEverything(m);
        },
      ),
      { numRuns: 1500, seed: 5118 },
    );
  });

  test('the stream framer on mutated streams in random chunks: only SipParseError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(seed, fc.array(mutation, { maxLength: 3 })), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 20 }),
        (parts, cuts) => {
          const stream = Buffer.concat(parts.map(([s, ms]) => mutate(s, ms)));
          const framer = createStreamFramer({ maxHeaderBytes: 4096, maxBodyBytes: 4096 });
          let at = 0;
          let k = 0;
          try {
            while (at < stream.length) {
              const n = cuts[k++ % cuts.length]!;
              for (const e of framer.push(stream.subarray(at, at + n))) {
                if (e.type === 'message') readEverything(e.message);
                if (e.type === 'invalid') expect(e.error).toBeInstanceOf(SipParseError);
              }
              at += n;
            }
          } catch (e) {
            if (!(e instanceof SipParseError)) throw e;
          }
        },
      ),
      { numRuns: 400, seed: 5626 },
    );
  });
});
