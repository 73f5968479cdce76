// Request-Line = Method SP Request-URI SP SIP-Version CRLF (RFC 3261 §7.1)
// Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF (RFC 3261 §7.2)
// SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; only SIP/2.0 is spoken here.
import { TOKEN_CHARS } from './chars.js';
import { ParseErrorCode, SipParseError } from './errors.js';
import type { Codes } from './source.js';

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

/** True when `s[i, i+4)` is "SIP/" in any case. */
export function isSipSlash(b: Codes, i: number, len: number): boolean {
  return (
    i + 4 <= len &&
    (b[i]! | 0x20) === 115 &&
    (b[i + 1]! | 0x20) === 105 &&
    (b[i + 2]! | 0x20) === 112 &&
    b[i + 3]! === 47
  );
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Checks a SIP-Version in `s[i, end)`: BAD_VERSION for another version, BAD_START_LINE for junk. */
function checkVersion(b: Codes, i: number, end: number): void {
  if (!isSipSlash(b, i, end)) err(ParseErrorCode.BadStartLine, 'SIP-Version expected', i);
  let j = i + 4;
  const major = j;
  while (j < end && isDigit(b[j]!)) j++;
  if (j === major || b[j]! !== 46) err(ParseErrorCode.BadStartLine, 'bad SIP-Version', i);
  const minor = ++j;
  while (j < end && isDigit(b[j]!)) j++;
  if (j === minor || j !== end) err(ParseErrorCode.BadStartLine, 'bad SIP-Version', i);
  if (end - i !== 7 || b[i + 4]! !== 50 || b[i + 6]! !== 48) {
    err(ParseErrorCode.BadVersion, 'SIP-Version is not SIP/2.0', i);
  }
}

/** Parses the start line of `s` (latin1), its octets `b`, beginning at `start`. */
export function parseStartLine(s: string, b: Codes, start: number): StartLine {
  const tok = TOKEN_CHARS;
  const len = s.length;
  const lf = s.indexOf('\n', start);
  if (lf < 0 || b[lf - 1]! !== 13 || lf - 1 < start) {
    err(ParseErrorCode.BadLineEnd, 'start line not ended by CRLF', lf < 0 ? len : lf);
  }
  const eol = lf - 1;
  const cr = s.indexOf('\r', start);
  if (cr < eol) err(ParseErrorCode.BadLineEnd, 'CR without LF', cr);
  const line: StartLine = {
    next: lf + 1,
    isRequest: true,
    methodEnd: 0,
    uriStart: 0,
    uriEnd: 0,
    status: 0,
    reasonStart: 0,
    reasonEnd: 0,
    reasonUtf8: false,
  };
  if (isSipSlash(b, start, eol)) {
    parseStatusLine(s, b, start, eol, line);
    for (let i = line.reasonStart; i < eol; i++) {
      if (b[i]! > 127) {
        line.reasonUtf8 = true;
        break;
      }
    }
    return line;
  }
  let i = start;
  let c = b[i]!;
  while (c < 128 && tok[c] === 1) c = b[++i]!;
  if (i === start) err(ParseErrorCode.BadMethod, 'method is not a token', start);
  if (c !== 32) err(ParseErrorCode.BadStartLine, 'SP expected after method', i);
  line.methodEnd = i;
  const us = ++i;
  const sp = s.indexOf(' ', us);
  i = sp < 0 || sp > eol ? eol : sp;
  // The characters of the Request-URI are checked by the URI parser (parse.ts).
  if (i === us || i === eol) err(ParseErrorCode.BadStartLine, 'bad Request-URI', us);
  line.uriStart = us;
  line.uriEnd = i;
  checkVersion(b, i + 1, eol);
  return line;
}

function parseStatusLine(s: string, b: Codes, start: number, eol: number, line: StartLine): void {
  let sp = s.indexOf(' ', start);
  if (sp < 0 || sp > eol) sp = eol;
  checkVersion(b, start, sp);
  let i = sp + 1;
  const ds = i;
  let status = 0;
  while (i < eol && i - ds < 4 && isDigit(b[i]!)) status = status * 10 + b[i++]! - 48;
  if (i - ds !== 3 || status < 100 || status > 699) {
    err(ParseErrorCode.BadStatus, 'Status-Code is not 100-699', ds);
  }
  // RFC 4475 §3.1.1.11: "SIP/2.0 100 " (empty phrase) is valid; a missing SP is tolerated.
  if (i < eol && b[i]! !== 32) err(ParseErrorCode.BadStatus, 'SP expected after Status-Code', i);
  line.isRequest = false;
  line.status = status;
  line.reasonStart = i < eol ? i + 1 : eol;
  line.reasonEnd = eol;
}
