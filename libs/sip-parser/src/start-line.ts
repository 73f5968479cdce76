// Request-Line = Method SP Request-URI SP SIP-Version CRLF (RFC 3261 §7.1)
// Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF (RFC 3261 §7.2)
// SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; only SIP/2.0 is spoken here.
import { C_TOKEN, CHARS } from './chars.js';
import { ParseErrorCode, SipParseError } from './errors.js';

function err(code: ParseErrorCode, message: string, offset: number): never {
  throw new SipParseError(code, message, { offset });
}

/** What the start line holds; offsets index the buffer. */
export interface StartLine {
  /** Index of the first header byte (after the CRLF). */
  next: number;
  isRequest: boolean;
  methodEnd: number;
  uriStart: number;
  uriEnd: number;
  status: number;
  reasonStart: number;
  reasonEnd: number;
  /** The reason phrase holds octets above 0x7F (decode as UTF-8). */
  reasonUtf8: boolean;
}

/** True when `buf[i, i+4)` is "SIP/" in any case. */
export function isSipSlash(buf: Uint8Array, i: number, len: number): boolean {
  return (
    i + 4 <= len &&
    (buf[i]! | 0x20) === 115 &&
    (buf[i + 1]! | 0x20) === 105 &&
    (buf[i + 2]! | 0x20) === 112 &&
    buf[i + 3] === 47
  );
}

/** Checks a SIP-Version in `buf[i, end)`: BAD_VERSION for another version, BAD_START_LINE for junk. */
function checkVersion(buf: Uint8Array, i: number, end: number): void {
  if (!isSipSlash(buf, i, end)) err(ParseErrorCode.BadStartLine, 'SIP-Version expected', i);
  let j = i + 4;
  const major = j;
  while (j < end && buf[j]! >= 48 && buf[j]! <= 57) j++;
  if (j === major || buf[j] !== 46) err(ParseErrorCode.BadStartLine, 'bad SIP-Version', i);
  const minor = ++j;
  while (j < end && buf[j]! >= 48 && buf[j]! <= 57) j++;
  if (j === minor || j !== end) err(ParseErrorCode.BadStartLine, 'bad SIP-Version', i);
  if (end - i !== 7 || buf[i + 4] !== 50 || buf[i + 6] !== 48) {
    err(ParseErrorCode.BadVersion, 'SIP-Version is not SIP/2.0', i);
  }
}

/** Parses the start line beginning at `start`. */
export function parseStartLine(buf: Uint8Array, start: number, len: number): StartLine {
  let eol = start;
  let high = false;
  while (eol < len) {
    const c = buf[eol]!;
    if (c === 13 || c === 10) break;
    if (c >= 128) high = true;
    eol++;
  }
  if (eol >= len || buf[eol] !== 13 || buf[eol + 1] !== 10) {
    err(ParseErrorCode.BadLineEnd, 'start line not ended by CRLF', eol);
  }
  const line: StartLine = {
    next: eol + 2,
    isRequest: true,
    methodEnd: 0,
    uriStart: 0,
    uriEnd: 0,
    status: 0,
    reasonStart: 0,
    reasonEnd: 0,
    reasonUtf8: false,
  };
  if (isSipSlash(buf, start, eol)) {
    parseStatusLine(buf, start, eol, line);
    line.reasonUtf8 = high;
    return line;
  }
  let i = start;
  while (i < eol && buf[i]! < 128 && (CHARS[buf[i]!]! & C_TOKEN) !== 0) i++;
  if (i === start) err(ParseErrorCode.BadMethod, 'method is not a token', start);
  if (buf[i] !== 32) err(ParseErrorCode.BadStartLine, 'SP expected after method', i);
  line.methodEnd = i;
  const us = ++i;
  while (i < eol && buf[i]! > 32 && buf[i]! < 127) i++;
  if (i === us || buf[i] !== 32) err(ParseErrorCode.BadStartLine, 'bad Request-URI', us);
  line.uriStart = us;
  line.uriEnd = i;
  checkVersion(buf, i + 1, eol);
  return line;
}

function parseStatusLine(buf: Uint8Array, start: number, eol: number, line: StartLine): void {
  let sp = start;
  while (sp < eol && buf[sp] !== 32) sp++;
  checkVersion(buf, start, sp);
  let i = sp + 1;
  const ds = i;
  let status = 0;
  while (i < eol && buf[i]! >= 48 && buf[i]! <= 57 && i - ds < 4)
    status = status * 10 + buf[i++]! - 48;
  if (i - ds !== 3 || status < 100 || status > 699) {
    err(ParseErrorCode.BadStatus, 'Status-Code is not 100-699', ds);
  }
  // RFC 4475 §3.1.1.11: "SIP/2.0 100 " (empty phrase) is valid; a missing SP is tolerated.
  if (i < eol && buf[i] !== 32) err(ParseErrorCode.BadStatus, 'SP expected after Status-Code', i);
  line.isRequest = false;
  line.status = status;
  line.reasonStart = i < eol ? i + 1 : eol;
  line.reasonEnd = eol;
}
