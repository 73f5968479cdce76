// Typed views over the header values of a message: each function reads the fields of one
// header from a HeaderList and parses them. The message caches the results.
import { parseAuth, parseAuthParams } from './auth.js';
import { readContactList } from './contact.js';
import { ParseErrorCode, SipParseError } from './errors.js';
import {
  H_CALL_ID,
  H_CONTENT_LENGTH,
  H_CONTENT_TYPE,
  H_CSEQ,
  H_FROM,
  H_MAX_FORWARDS,
  H_TO,
  H_VIA,
  lowerName,
} from './header-names.js';
import type { HeaderList } from './headers.js';
import { splitList } from './lists.js';
import { parseFromTo, parseNameAddrList, toNameAddr } from './name-addr.js';
import { parseReason } from './reason.js';
import {
  checkCallId,
  parseContentType,
  parseCseq,
  parseDeltaSeconds,
  parseMaxForwards,
  parseOptionTags,
  parseRetryAfter,
} from './scalars.js';
import { parseBoundedInt } from './text.js';
import type {
  AuthHeader,
  CSeq,
  Contact,
  FromTo,
  NameAddr,
  Reason,
  RetryAfter,
  Via,
} from './types.js';
import { parseViaList } from './via.js';

/** Index of the field with this id, which must appear exactly once. */
export function singleIndex(h: HeaderList, id: number): number {
  const k = h.indexOfId(id);
  if (k < 0) {
    throw new SipParseError(ParseErrorCode.MissingHeader, `no ${lowerName(id)} header`, {
      header: lowerName(id),
    });
  }
  if (h.indexOfId(id, k + 1) >= 0) {
    throw new SipParseError(ParseErrorCode.DuplicateHeader, `more than one ${lowerName(id)}`, {
      header: lowerName(id),
    });
  }
  return k;
}

/** The value of a header that must appear exactly once. */
export function single(h: HeaderList, id: number): string {
  const k = h.indexOfId(id);
  if (k < 0) {
    throw new SipParseError(ParseErrorCode.MissingHeader, `no ${lowerName(id)} header`, {
      header: lowerName(id),
    });
  }
  if (h.indexOfId(id, k + 1) >= 0) {
    throw new SipParseError(ParseErrorCode.DuplicateHeader, `more than one ${lowerName(id)}`, {
      header: lowerName(id),
    });
  }
  return h.valueAt(k);
}

/** The value of a header that may appear at most once, or undefined. */
export function optional(h: HeaderList, id: number): string | undefined {
  const k = h.indexOfId(id);
  if (k < 0) return undefined;
  if (h.indexOfId(id, k + 1) >= 0) {
    throw new SipParseError(ParseErrorCode.DuplicateHeader, `more than one ${lowerName(id)}`, {
      header: lowerName(id),
    });
  }
  return h.valueAt(k);
}

/** All list elements of every field with this id. */
export function elements(h: HeaderList, id: number, code: ParseErrorCode): string[] {
  const out: string[] = [];
  const n = h.size();
  for (let k = 0; k < n; k++)
    if (h.idAt(k) === id) splitList(h.valueAt(k), out, code, lowerName(id));
  return out;
}

export function readVias(h: HeaderList): Via[] {
  const out: Via[] = [];
  const n = h.size();
  for (let k = 0; k < n; k++) {
    if (h.idAt(k) !== H_VIA) continue;
    const s = h.source(k);
    parseViaList(s, h.srcStart, h.srcEnd, out);
  }
  return out;
}

export function readTopVia(h: HeaderList): Via {
  const k = h.indexOfId(H_VIA);
  if (k < 0) {
    throw new SipParseError(ParseErrorCode.MissingHeader, 'no via header', { header: 'via' });
  }
  return readViaAt(h, k);
}

/** The first via-parm of field k. */
export function readViaAt(h: HeaderList, k: number): Via {
  const s = h.source(k);
  return parseViaList(s, h.srcStart, h.srcEnd);
}

export function readFromTo(h: HeaderList, k: number, header: string): FromTo {
  const s = h.source(k);
  return parseFromTo(s, h.srcStart, h.srcEnd, header);
}

export function readFrom(h: HeaderList): FromTo {
  return readFromTo(h, singleIndex(h, H_FROM), 'from');
}

export function readTo(h: HeaderList): FromTo {
  return readFromTo(h, singleIndex(h, H_TO), 'to');
}

export function readCallIdAt(h: HeaderList, k: number): string {
  const s = h.source(k);
  return checkCallId(s, h.srcStart, h.srcEnd);
}

export function readCallId(h: HeaderList): string {
  return readCallIdAt(h, singleIndex(h, H_CALL_ID));
}

export function readCseqAt(h: HeaderList, k: number): CSeq {
  const s = h.source(k);
  return parseCseq(s, h.srcStart, h.srcEnd);
}

export function readCseq(h: HeaderList): CSeq {
  return readCseqAt(h, singleIndex(h, H_CSEQ));
}

export function readMaxForwardsAt(h: HeaderList, k: number): number {
  const s = h.source(k);
  return parseMaxForwards(s, h.srcStart, h.srcEnd);
}

export function readMaxForwards(h: HeaderList): number | undefined {
  const k = h.indexOfId(H_MAX_FORWARDS);
  if (k < 0) return undefined;
  if (h.indexOfId(H_MAX_FORWARDS, k + 1) >= 0) optional(h, H_MAX_FORWARDS);
  return readMaxForwardsAt(h, k);
}

export function readContacts(h: HeaderList, id: number): readonly Contact[] | '*' {
  return readContactList(h, id);
}

export function readNameAddrs(h: HeaderList, id: number): NameAddr[] {
  const out: NameAddr[] = [];
  const n = h.size();
  for (let k = 0; k < n; k++) {
    if (h.idAt(k) !== id) continue;
    const s = h.source(k);
    parseNameAddrList(s, h.srcStart, h.srcEnd, lowerName(id), out, toNameAddr);
  }
  return out;
}

export function readDelta(h: HeaderList, id: number): number | undefined {
  const v = optional(h, id);
  return v === undefined ? undefined : parseDeltaSeconds(v, lowerName(id));
}

export function readAuth(h: HeaderList, id: number): AuthHeader[] {
  const out: AuthHeader[] = [];
  const n = h.size();
  for (let k = 0; k < n; k++)
    if (h.idAt(k) === id) out.push(parseAuth(h.valueAt(k), lowerName(id)));
  return out;
}

export function readAuthInfo(h: HeaderList, id: number): Record<string, string> | undefined {
  const v = optional(h, id);
  return v === undefined ? undefined : parseAuthParams(v, 0, lowerName(id));
}

export function readRetryAfter(h: HeaderList, id: number): RetryAfter | undefined {
  const v = optional(h, id);
  return v === undefined ? undefined : parseRetryAfter(v);
}

export function readReasons(h: HeaderList, id: number): Reason[] {
  return elements(h, id, ParseErrorCode.BadHeaderValue).map(parseReason);
}

export function readOptionTags(h: HeaderList, id: number): string[] {
  const out: string[] = [];
  const n = h.size();
  for (let k = 0; k < n; k++) {
    if (h.idAt(k) !== id) continue;
    const v = h.valueAt(k);
    // RFC 3261 §20.37: Supported may be empty ("Supported:" = no option tags).
    if (v.trim() === '') continue;
    splitList(v, out, ParseErrorCode.BadHeaderValue, lowerName(id));
  }
  return parseOptionTags(out, lowerName(id));
}

export function readContentType(h: HeaderList): string | undefined {
  const v = optional(h, H_CONTENT_TYPE);
  return v === undefined ? undefined : parseContentType(v);
}

/** The declared Content-Length (validated), or undefined when absent. */
export function readContentLength(h: HeaderList): number | undefined {
  const v = optional(h, H_CONTENT_LENGTH);
  if (v === undefined) return undefined;
  const n = parseBoundedInt(v, Number.MAX_SAFE_INTEGER);
  if (n < 0) {
    throw new SipParseError(ParseErrorCode.BadContentLength, 'Content-Length is not a number', {
      header: 'content-length',
    });
  }
  return n;
}
