// SipMessage → bytes. An untouched parsed message goes out as the bytes it came from; any
// other is rebuilt: start line, header fields in order under their full names, a Content-Length
// that matches the body, the empty line, the body (RFC 3261 §7, §20.14).
import { H_CONTENT_LENGTH } from './header-names.js';
import { Request, Response, type MessageBase } from './message.js';
import type { SipMessage } from './types.js';

function untouched(msg: MessageBase): boolean {
  if (msg.span === undefined || msg.headers.gen !== 0 || msg.bodyEdited) return false;
  if (msg instanceof Request) return !msg.uriEdited && msg.method === msg.origMethod;
  if (msg instanceof Response) {
    return msg.status === msg.origStatus && msg.reason === msg.origReason;
  }
  return false;
}

/** The start line and header section (with its closing empty line) of a message. */
export function headSection(msg: SipMessage, bodyLength: number): string {
  let out =
    msg.type === 'request'
      ? `${msg.method} ${msg.uri} SIP/2.0\r\n`
      : `SIP/2.0 ${msg.status} ${msg.reason}\r\n`;
  const h = (msg as unknown as MessageBase).headers;
  const n = h.size();
  let wroteLength = false;
  for (let k = 0; k < n; k++) {
    if (h.idAt(k) === H_CONTENT_LENGTH) {
      if (!wroteLength) out += `Content-Length: ${bodyLength}\r\n`;
      wroteLength = true;
      continue;
    }
    out += h.spellingAt(k) + ': ' + h.valueAt(k) + '\r\n';
  }
  if (!wroteLength) out += `Content-Length: ${bodyLength}\r\n`;
  return out + '\r\n';
}

/** Serializes a message for the wire. */
export function serializeMessage(msg: SipMessage): Buffer {
  const m = msg as unknown as MessageBase;
  if (untouched(m)) {
    const s = m.span!;
    return s.start === 0 && s.end === s.buf.length ? s.buf : s.buf.subarray(s.start, s.end);
  }
  const body = msg.body;
  const head = headSection(msg, body.length);
  const headLen = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLen + body.length);
  out.write(head, 0, 'utf8');
  body.copy(out, headLen);
  return out;
}
