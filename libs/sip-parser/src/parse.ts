// parseMessage: bytes → SipMessage. Checks the start line, the framing and the headers a
// transaction layer relies on; everything else is parsed lazily by the typed accessors.
import { isAscii } from 'node:buffer';
import { ParseErrorCode, SipParseError } from './errors.js';
import {
  H_CALL_ID,
  H_CONTENT_LENGTH,
  H_CSEQ,
  H_FROM,
  H_MAX_FORWARDS,
  H_TO,
  H_VIA,
  lowerName,
} from './header-names.js';
import { ENTRY_SIZE, ENTRY_VALUE_END, ENTRY_VALUE_START, HeaderList } from './headers.js';
import { Request, Response, type MessageBase } from './message.js';
import { scanHeaders } from './scan.js';
import { parseStartLine } from './start-line.js';
import { methodName } from './methods.js';
import * as t from './typed.js';
import type { ParseOptions, SipMessage } from './types.js';
import { checkRequestUri } from './request-uri.js';

export const DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

function err(code: ParseErrorCode, message: string, offset?: number, header?: string): never {
  throw new SipParseError(code, message, { offset, header });
}

/** Content-Length from the raw bytes: 1*DIGIT, or -1. */
function contentLengthAt(text: string, s: number, e: number): number {
  if (s >= e || e - s > 15) return -1;
  let n = 0;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + c - 48;
  }
  return n;
}

/** How much of `buf` to decode for the header section: all of a small message, else up to the
 * empty line (or the header bound). */
function textEnd(buf: Buffer, start: number, maxHeader: number): number {
  if (buf.length <= 4096) return buf.length;
  const end = buf.indexOf(CRLFCRLF, start);
  const bound = Math.min(buf.length, start + maxHeader + 4);
  return end < 0 || end + 4 > bound ? bound : end + 4;
}

/** Node's Buffer has this undocumented fast path of `toString('latin1', …)`. */
interface Latin1Slicer {
  latin1Slice(start: number, end: number): string;
}

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');

/**
 * Parses one SIP message. With `datagram`, the buffer is one UDP datagram (RFC 3261 §18.3:
 * a missing Content-Length means the rest, extra octets are discarded); otherwise the buffer
 * must hold exactly one message with its Content-Length (what a stream framer hands over).
 * The message keeps a reference to `buf`. Throws SipParseError only.
 */
export function parseMessage(buf: Buffer, opts?: ParseOptions): SipMessage {
  const input: unknown = buf;
  if (!(input instanceof Uint8Array)) err(ParseErrorCode.EmptyMessage, 'not a buffer');
  if (!Buffer.isBuffer(input)) buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const datagram = opts?.datagram === true;
  const maxHeader = opts?.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const maxBody = opts?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const len = buf.length;
  let start = 0;
  // RFC 3261 §7.5: CRLFs before the start line are ignored.
  while (start + 1 < len && buf[start] === 13 && buf[start + 1] === 10) start += 2;
  if (start >= len) err(ParseErrorCode.EmptyMessage, 'empty message', start);

  const tEnd = textEnd(buf, start, maxHeader);
  const text = (buf as unknown as Latin1Slicer).latin1Slice(0, tEnd);
  const line = parseStartLine(text, start);
  const headers = new HeaderList(buf, text);
  const ascii = isAscii(tEnd === len ? buf : buf.subarray(0, tEnd));
  const bodyStart = scanHeaders(text, line.next, datagram, ascii, start + maxHeader, headers);
  if (bodyStart - start > maxHeader) err(ParseErrorCode.HeaderTooLarge, 'header too large', start);

  // Counts of the fields checked here and the first one's index (count << 8 | index would do,
  // but plain variables keep the loop simple).
  let via = 0;
  let from = 0;
  let to = 0;
  let callId = 0;
  let cseq = 0;
  let maxFwd = 0;
  let viaK = -1;
  let fromK = -1;
  let toK = -1;
  let callIdK = -1;
  let cseqK = -1;
  let maxFwdK = -1;
  let clCount = 0;
  let cl = -1;
  const entries = headers.scanned;
  const end = headers.count * ENTRY_SIZE;
  for (let o = 0; o < end; o += ENTRY_SIZE) {
    switch (entries[o]! >> 2) {
      case H_VIA:
        if (via++ === 0) viaK = o / ENTRY_SIZE;
        break;
      case H_FROM:
        if (from++ === 0) fromK = o / ENTRY_SIZE;
        break;
      case H_TO:
        if (to++ === 0) toK = o / ENTRY_SIZE;
        break;
      case H_CALL_ID:
        if (callId++ === 0) callIdK = o / ENTRY_SIZE;
        break;
      case H_CSEQ:
        if (cseq++ === 0) cseqK = o / ENTRY_SIZE;
        break;
      case H_MAX_FORWARDS:
        if (maxFwd++ === 0) maxFwdK = o / ENTRY_SIZE;
        break;
      case H_CONTENT_LENGTH: {
        const s = entries[o + ENTRY_VALUE_START]!;
        const n = contentLengthAt(text, s, entries[o + ENTRY_VALUE_END]!);
        if (n < 0) err(ParseErrorCode.BadContentLength, 'Content-Length is not 1*DIGIT', s);
        if (clCount++ > 0) {
          if (n !== cl) err(ParseErrorCode.BadContentLength, 'conflicting Content-Length', s);
          err(ParseErrorCode.DuplicateHeader, 'Content-Length twice', s, 'content-length');
        }
        cl = n;
        break;
      }
    }
  }

  let bodyEnd: number;
  if (cl >= 0) {
    if (cl > maxBody) err(ParseErrorCode.BodyTooLarge, 'body too large', bodyStart);
    bodyEnd = bodyStart + cl;
    if (bodyEnd > len) err(ParseErrorCode.TruncatedBody, 'Content-Length beyond the message', len);
    if (!datagram && bodyEnd < len) err(ParseErrorCode.TrailingBytes, 'bytes after body', bodyEnd);
  } else {
    if (!datagram) err(ParseErrorCode.MissingContentLength, 'no Content-Length', bodyStart);
    bodyEnd = len;
    if (len - bodyStart > maxBody) err(ParseErrorCode.BodyTooLarge, 'body too large', bodyStart);
  }

  need(via, H_VIA, true);
  need(from, H_FROM, false);
  need(to, H_TO, false);
  need(callId, H_CALL_ID, false);
  need(cseq, H_CSEQ, false);
  if (maxFwd > 1)
    err(ParseErrorCode.DuplicateHeader, 'Max-Forwards twice', undefined, 'max-forwards');

  const span = { buf, start, headStart: line.next, bodyStart, end: bodyEnd };
  let msg: MessageBase;
  if (line.isRequest) {
    const method = methodName(text, start, line.methodEnd);
    checkRequestUri(text, line.uriStart, line.uriEnd);
    const uri = text.substring(line.uriStart, line.uriEnd);
    msg = new Request(headers, span, undefined, method, uri, line.uriStart);
  } else {
    const reason = line.reasonUtf8
      ? buf.toString('utf8', line.reasonStart, line.reasonEnd)
      : text.substring(line.reasonStart, line.reasonEnd);
    msg = new Response(headers, span, undefined, line.status, reason);
  }
  msg.cContentLength = cl >= 0 ? cl : null;
  // Fill the caches of the fields every transaction layer reads, checking them on the way.
  const cseqValue = t.readCseqAt(headers, cseqK);
  if (line.isRequest && cseqValue.method !== (msg as Request).method) {
    const m = (msg as Request).method;
    err(ParseErrorCode.CseqMethodMismatch, `CSeq method is not ${m}`, undefined, 'cseq');
  }
  msg.cCseq = cseqValue;
  msg.cCallId = t.readCallIdAt(headers, callIdK);
  msg.cMaxForwards = maxFwdK < 0 ? null : t.readMaxForwardsAt(headers, maxFwdK);
  msg.cFrom = t.readFromTo(headers, fromK, 'from');
  msg.cTo = t.readFromTo(headers, toK, 'to');
  msg.cTopVia = t.readViaAt(headers, viaK);
  return msg as unknown as SipMessage;
}

function need(count: number, id: number, many: boolean): void {
  if (count === 1 || (count > 1 && many)) return;
  const name = lowerName(id);
  if (count === 0) err(ParseErrorCode.MissingHeader, `no ${name} header`, undefined, name);
  err(ParseErrorCode.DuplicateHeader, `${name} twice`, undefined, name);
}
