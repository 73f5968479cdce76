// SipMessage → bytes. An untouched parsed message goes out as the bytes it came from; any
// other is rebuilt: start line, header fields in order under their full names, a Content-Length
// that matches the body, the empty line, the body (RFC 3261 §7, §20.14). A line of a parsed
// message that reads exactly as the rebuild would write it (full name, ": ", the value, one
// line) is copied from the received octets instead of being decoded and encoded again.
//
// The output is put together as one latin1 string (one character per octet: received octets
// as they were, text in UTF-8) and written into the Buffer in one go: each Buffer operation in
// Node costs about as much as building the whole string.
import { Buffer } from 'node:buffer';
import { H_CONTENT_LENGTH } from './header-names.js';
import { Request, Response, type MessageBase } from './message.js';
import type { SipMessage } from './types.js';

/** Node's Buffer has this undocumented fast path of `write(s, offset, length, 'latin1')`. */
interface Latin1Writer {
  latin1Write(s: string, offset: number, length: number): number;
}

/** Node's Buffer has this undocumented fast path of `toString('latin1', …)`. */
interface Latin1Slicer {
  latin1Slice(start: number, end: number): string;
}

function startLineUntouched(msg: MessageBase): boolean {
  if (msg instanceof Request) return !msg.uriEdited && msg.method === msg.origMethod;
  if (msg instanceof Response) {
    return msg.status === msg.origStatus && msg.reason === msg.origReason;
  }
  return false;
}

/**
 * True when the start line of a parsed message goes out as received. A request's start line is
 * ASCII (parseMessage checked it); a reason phrase with other octets is written again from the
 * decoded text, as the rebuild writes it.
 */
function startLineCopied(msg: MessageBase): boolean {
  if (msg.raw === undefined || !startLineUntouched(msg)) return false;
  if (msg instanceof Response) {
    const r = msg.reason;
    for (let i = 0; i < r.length; i++) if (r.charCodeAt(i) > 127) return false;
  }
  return true;
}

function untouched(msg: MessageBase): boolean {
  return (
    msg.raw !== undefined && msg.headers.gen === 0 && !msg.bodyEdited && startLineUntouched(msg)
  );
}

/** `s` as latin1 characters of its UTF-8 octets (itself when it is ASCII). */
function octets(s: string): string {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) < 128) i++;
  if (i === s.length) return s;
  const b = Buffer.from(s, 'utf8');
  return (b as unknown as Latin1Slicer).latin1Slice(0, b.length);
}

/**
 * The output as one latin1 string: received octets `text[runStart, runEnd)` not appended yet
 * (adjacent ranges merge into one substring), and text written again.
 */
class Output {
  declare out: string;
  declare runStart: number;
  declare runEnd: number;
  declare readonly text: string;

  constructor(text: string) {
    this.out = '';
    this.runStart = 0;
    this.runEnd = 0;
    this.text = text;
  }

  copy(start: number, end: number): void {
    if (start !== this.runEnd) {
      if (this.runEnd > this.runStart) this.out += this.text.substring(this.runStart, this.runEnd);
      this.runStart = start;
    }
    this.runEnd = end;
  }

  add(s: string): void {
    if (this.runEnd > this.runStart) this.out += this.text.substring(this.runStart, this.runEnd);
    this.runStart = this.runEnd = 0;
    this.out += s;
  }

  /** True when the octets copied last end at `end`. */
  copiedUpTo(end: number): boolean {
    return this.runEnd === end && this.runEnd > this.runStart;
  }
}

function startLine(msg: SipMessage): string {
  return msg.type === 'request'
    ? `${msg.method} ${msg.uri} SIP/2.0\r\n`
    : `SIP/2.0 ${msg.status} ${msg.reason}\r\n`;
}

/** Serializes a message for the wire. */
export function serializeMessage(msg: SipMessage): Buffer {
  const m = msg as unknown as MessageBase;
  const raw = m.raw;
  if (untouched(m)) {
    return m.start === 0 && m.end === raw!.length ? raw! : raw!.subarray(m.start, m.end);
  }
  const h = m.headers;
  const text = h.text;
  // The body as received lies in `text` when the whole message was decoded (parse.ts textEnd).
  const bodyInText = raw !== undefined && !m.bodyEdited && m.end <= text.length;
  const bodyLength = bodyInText ? m.end - m.bodyStart : msg.body.length;
  const o = new Output(text);
  if (startLineCopied(m)) o.copy(m.start, m.headStart);
  else o.add(octets(startLine(msg)));
  const n = h.size();
  let wroteLength = false;
  for (let k = 0; k < n; k++) {
    if (h.idAt(k) === H_CONTENT_LENGTH) {
      // One Content-Length, where the first one was, giving the length of the body we send.
      if (!wroteLength) {
        if (h.rawLine(k) && h.valueAt(k) === String(bodyLength)) o.copy(h.srcStart, h.srcEnd);
        else o.add(`Content-Length: ${bodyLength}\r\n`);
      }
      wroteLength = true;
    } else if (h.rawLine(k)) o.copy(h.srcStart, h.srcEnd);
    else o.add(octets(h.spellingAt(k) + ': ' + h.valueAt(k) + '\r\n'));
  }
  if (!wroteLength) o.add(`Content-Length: ${bodyLength}\r\n`);
  if (bodyInText) {
    // The empty line and the body as received (the empty line is copied only when it follows
    // a copied line: a datagram may end its header section without one).
    if (o.copiedUpTo(m.bodyStart - 2)) o.copy(m.bodyStart - 2, m.end);
    else {
      o.add('\r\n');
      o.copy(m.bodyStart, m.end);
    }
    o.add('');
    return latin1(o.out, 0);
  }
  o.add('\r\n');
  const body = msg.body;
  const bytes = latin1(o.out, body.length);
  bytes.set(body, o.out.length);
  return bytes;
}

/** A Buffer holding the octets of the latin1 string `s`, and `extra` octets after them. */
function latin1(s: string, extra: number): Buffer {
  const b = Buffer.allocUnsafe(s.length + extra);
  (b as unknown as Latin1Writer).latin1Write(s, 0, s.length);
  return b;
}
