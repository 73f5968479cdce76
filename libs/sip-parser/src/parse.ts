// parseMessage: bytes → SipMessage. Checks the start line, the framing and the headers a
// transaction layer relies on; everything else is parsed lazily by the typed accessors.
import { Buffer, isAscii } from 'node:buffer';
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
import { ENTRY_SIZE, ENTRY_VALUE_END, ENTRY_VALUE_START } from './headers.js';
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
function contentLengthAt(b: Uint8Array, s: number, e: number): number {
  if (s >= e || e - s > 15) return -1;
  let n = 0;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
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
  const line = parseStartLine(text, buf, start);
  const ascii = isAscii(tEnd === len ? buf : buf.subarray(0, tEnd));
  const headers = scanHeaders(buf, text, line.next, datagram, ascii, start + maxHeader);
  const bodyStart = headers.sectionEnd;
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
        const n = contentLengthAt(buf, s, entries[o + ENTRY_VALUE_END]!);
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

  // Checked inline, the error built out of line: the optimizing compiler inlines callees up to
  // a budget, better spent on the constructors and readers below than on error paths.
  if (via === 0 || from !== 1 || to !== 1 || callId !== 1 || cseq !== 1 || maxFwd > 1) {
    countError([via, from, to, callId, cseq, maxFwd]);
  }

  // The start line, then the fields every transaction layer reads, checked on the way; the
  // message is built last. (V8 inlines the calls of a function up to a budget, the last ones
  // first: the constructors then.)
  let method = '';
  let uri = '';
  let reason = '';
  if (line.isRequest) {
    method = methodName(buf, text, start, line.methodEnd);
    checkRequestUri(text, buf, line.uriStart, line.uriEnd);
    uri = text.substring(line.uriStart, line.uriEnd);
  } else {
    reason = line.reasonUtf8
      ? buf.toString('utf8', line.reasonStart, line.reasonEnd)
      : text.substring(line.reasonStart, line.reasonEnd);
  }
  const cseqValue = t.readCseqAt(headers, cseqK);
  if (line.isRequest && cseqValue.method !== method) {
    err(ParseErrorCode.CseqMethodMismatch, `CSeq method is not ${method}`, undefined, 'cseq');
  }
  const callIdValue = t.readCallIdAt(headers, callIdK);
  const maxFwdValue = maxFwdK < 0 ? null : t.readMaxForwardsAt(headers, maxFwdK);
  const fromValue = t.readFromTo(headers, fromK, 'from');
  const toValue = t.readFromTo(headers, toK, 'to');
  const viaValue = t.readViaAt(headers, viaK);

  const span = { buf, start, headStart: line.next, bodyStart, end: bodyEnd };
  const msg: MessageBase = line.isRequest
    ? new Request(headers, span, undefined, method, uri, line.uriStart)
    : new Response(headers, span, undefined, line.status, reason);
  msg.cContentLength = cl >= 0 ? cl : null;
  msg.cCseq = cseqValue;
  msg.cCallId = callIdValue;
  msg.cMaxForwards = maxFwdValue;
  msg.cFrom = fromValue;
  msg.cTo = toValue;
  msg.cTopVia = viaValue;
  return msg as unknown as SipMessage;
}

/** The MISSING_HEADER or DUPLICATE_HEADER error for counts of Via, From, To, Call-ID, CSeq
 * and Max-Forwards (in that order): Via at least once, Max-Forwards at most once, the others
 * exactly once. */
function countError(counts: readonly number[]): never {
  const ids = [H_VIA, H_FROM, H_TO, H_CALL_ID, H_CSEQ, H_MAX_FORWARDS];
  for (let k = 0; k < ids.length; k++) {
    const name = lowerName(ids[k]!);
    const n = counts[k]!;
    if (n === 0 && k < 5) err(ParseErrorCode.MissingHeader, `no ${name} header`, undefined, name);
    if (n > 1 && k > 0) err(ParseErrorCode.DuplicateHeader, `${name} twice`, undefined, name);
  }
  return err(ParseErrorCode.MissingHeader, 'header counts'); // not reached
}
