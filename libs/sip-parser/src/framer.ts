// Stream framing for TCP, TLS and WebSocket flows (RFC 3261 §18.3, RFC 5626 §4.4.1):
// a message is its header section up to CRLFCRLF plus Content-Length body octets. Between
// messages a CRLFCRLF is a keep-alive ping; a lone CRLF is a pong or an ignorable CRLF before a
// start line (RFC 3261 §7.5), as this side's keep-alive role decides (StreamFramerOptions).
import { Buffer } from 'node:buffer';
import { ParseErrorCode, SipParseError } from './errors.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_HEADER_BYTES, parseMessage } from './parse.js';
import type {
  FramerEvent,
  KeepAliveRole,
  ParseOptions,
  StreamFramer,
  StreamFramerOptions,
} from './types.js';

const PING: FramerEvent = Object.freeze({ type: 'ping' });
const PONG: FramerEvent = Object.freeze({ type: 'pong' });
const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');

function fail(code: ParseErrorCode, message: string): never {
  throw new SipParseError(code, message);
}

/** True when `buf[i, e)` is the header name "Content-Length" or "l", any case. */
function isContentLengthName(buf: Buffer, i: number, e: number): boolean {
  if (e - i === 1) return (buf[i]! | 0x20) === 108;
  if (e - i !== 14) return false;
  return buf.toString('latin1', i, e).toLowerCase() === 'content-length';
}

/**
 * The Content-Length declared in the header section `buf[0, headEnd)`: -1 when absent. Values
 * that cannot frame the stream (not 1*DIGIT, several differing values) lose the framing.
 */
export function framingLength(buf: Buffer, headEnd: number): number {
  let found = -1;
  let i = buf.indexOf(10) + 1; // skip the start line
  while (i > 0 && i < headEnd) {
    const lineEnd = buf.indexOf(10, i);
    const ne = lineEnd < 0 ? headEnd : lineEnd;
    let j = i;
    while (j < ne && buf[j] !== 58 && buf[j] !== 32 && buf[j] !== 9) j++;
    if (isContentLengthName(buf, i, j)) {
      // The value may be folded: read digits across LWS / CRLF+WS.
      const colon = buf.indexOf(58, i);
      const text = buf.toString('latin1', colon + 1, headEnd);
      const m = /^[ \t]*(?:\r\n[ \t]+)?[ \t]*(\d{1,15})[ \t]*(?:\r\n(?![ \t])|$)/.exec(text);
      if (m === null) fail(ParseErrorCode.BadContentLength, 'Content-Length is not 1*DIGIT');
      const n = Number(m[1]);
      if (found >= 0 && n !== found) fail(ParseErrorCode.BadContentLength, 'conflicting lengths');
      found = n;
    }
    i = lineEnd < 0 ? -1 : lineEnd + 1;
  }
  return found;
}

class Framer implements StreamFramer {
  private pending: Buffer = Buffer.alloc(0);
  /** Where the search for CRLFCRLF resumes. */
  private searched = 0;
  private readonly maxHeader: number;
  private readonly maxBody: number;
  private readonly opts: ParseOptions;
  private readonly role: KeepAliveRole | undefined;

  constructor(opts: StreamFramerOptions | undefined) {
    this.maxHeader = opts?.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    this.maxBody = opts?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.opts = { maxHeaderBytes: this.maxHeader, maxBodyBytes: this.maxBody, datagram: false };
    this.role = opts?.keepAliveRole;
  }

  get buffered(): number {
    return this.pending.length;
  }

  push(chunk: Buffer): FramerEvent[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const events: FramerEvent[] = [];
    while (this.next(events));
    return events;
  }

  /** Frames one unit from the front of `pending`; false when more bytes are needed. */
  private next(events: FramerEvent[]): boolean {
    const p = this.pending;
    if (p.length === 0) return false;
    if (p[0] === 13) {
      if (p.length < 2) return false;
      if (p[1] !== 10) fail(ParseErrorCode.BadLineEnd, 'CR without LF between messages');
      // RFC 5626 §4.4.1: "the client [...] send[s] a CRLFCRLF ping [...] the server responds
      // with a single CRLF"; otherwise a CRLF before a start line is ignored (RFC 3261 §7.5).
      if (p.length === 2) {
        if (this.role === 'server') return false; // the first half of a ping, or padding
        return this.consume(2, events, PONG);
      }
      if (p[2] === 13) {
        if (p.length === 3) return false;
        if (p[3] === 10) return this.consume(4, events, PING);
      }
      return this.consume(2, events, this.role === 'client' ? PONG : undefined);
    }
    const headEnd = p.indexOf(CRLFCRLF, this.searched);
    if (headEnd < 0) {
      if (p.length > this.maxHeader)
        fail(ParseErrorCode.HeaderTooLarge, 'header section too large');
      this.searched = Math.max(0, p.length - 3);
      return false;
    }
    const bodyStart = headEnd + 4;
    if (bodyStart > this.maxHeader) fail(ParseErrorCode.HeaderTooLarge, 'header section too large');
    const cl = framingLength(p, headEnd + 2);
    if (cl < 0) fail(ParseErrorCode.MissingContentLength, 'no Content-Length on a stream');
    if (cl > this.maxBody) fail(ParseErrorCode.BodyTooLarge, 'body too large');
    const total = bodyStart + cl;
    if (p.length < total) return false;
    // A message outlives the chunk it came in (a transaction keeps it for seconds): copy it out
    // rather than pin a whole socket read.
    const whole = p.byteOffset === 0 && p.buffer.byteLength === total;
    const bytes = whole ? p : Buffer.from(p.subarray(0, total));
    this.pending = p.subarray(total);
    this.searched = 0;
    try {
      events.push({ type: 'message', message: parseMessage(bytes, this.opts), bytes });
    } catch (e) {
      if (!(e instanceof SipParseError)) throw e;
      events.push({ type: 'invalid', bytes, error: e });
    }
    return true;
  }

  private consume(n: number, events: FramerEvent[], event: FramerEvent | undefined): boolean {
    this.pending = this.pending.subarray(n);
    this.searched = 0;
    if (event !== undefined) events.push(event);
    return true;
  }
}

/**
 * A framer for one stream connection. Limits from `opts` (maxHeaderBytes, maxBodyBytes), and
 * this side's keep-alive role, which tells a pong from a CRLF to ignore.
 */
export function createStreamFramer(opts?: StreamFramerOptions): StreamFramer {
  return new Framer(opts);
}
