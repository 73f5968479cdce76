// name-addr / addr-spec with header parameters (RFC 3261 §20.10, §25.1): From, To, Contact,
// Route, Record-Route, Path, Refer-To…
import { C_TOKEN, CHARS } from './chars.js';
import { ParseErrorCode } from './errors.js';
import { newParams, parseParams, type MutableParams } from './params.js';
import { fail, readQuoted, skipWs, trimEnd } from './text.js';
import type { FromTo, NameAddr, SipUri } from './types.js';
import { parseUriRange } from './uri.js';

/** The pieces of one name-addr, before a header-specific shape is built from them. */
export interface NameAddrParts {
  displayName: string | undefined;
  uri: SipUri;
  uriText: string;
  params: MutableParams;
}

/**
 * Parses one element (already split from a list). RFC 3261 §20.10: in the addr-spec form the
 * URI ends at the first ";" (those parameters are header parameters) and may not contain "?".
 */
export function parseNameAddrParts(value: string, header: string): NameAddrParts {
  const code = ParseErrorCode.BadNameAddr;
  const end = value.length;
  let i = skipWs(value, 0, end);
  let displayName: string | undefined;
  let uriStart: number;
  let uriEnd: number;
  const c0 = value.charCodeAt(i);
  let la = -1;
  if (c0 === 34) {
    const q = { value: '' };
    i = readQuoted(value, i, end, q);
    if (i < 0) fail(code, `unterminated display name in ${header}`, header);
    displayName = q.value;
    i = skipWs(value, i, end);
    if (value.charCodeAt(i) !== 60)
      fail(code, `expected < after display name in ${header}`, header);
    la = i;
  } else if (c0 === 60) {
    la = i;
  } else {
    la = value.indexOf('<', i);
    if (la >= 0) {
      // RFC 3261: display-name = *(token LWS) / quoted-string. RFC 4475 §3.1.1.6: accept a
      // token display name with no LWS before "<".
      const de = trimEnd(value, i, la);
      for (let k = i; k < de; k++) {
        const c = value.charCodeAt(k);
        if (c !== 32 && c !== 9 && (c >= 128 || (CHARS[c]! & C_TOKEN) === 0)) {
          fail(code, `display name in ${header} must be quoted`, header);
        }
      }
      if (de > i) displayName = value.substring(i, de);
    }
  }
  if (la >= 0) {
    uriStart = la + 1;
    uriEnd = value.indexOf('>', uriStart);
    if (uriEnd < 0) fail(code, `missing > in ${header}`, header);
    i = uriEnd + 1;
  } else {
    uriStart = i;
    const semi = value.indexOf(';', i);
    uriEnd = trimEnd(value, i, semi < 0 ? end : semi);
    const q = value.indexOf('?', i);
    if (q >= 0 && q < uriEnd) fail(code, `a URI with headers in ${header} must be in <>`, header);
    i = uriEnd;
  }
  const uri = parseUriRange(value, uriStart, uriEnd, ParseErrorCode.BadUri);
  const params = newParams();
  parseParams(value, i, end, params, code, header);
  return { displayName, uri, uriText: value.substring(uriStart, uriEnd), params };
}

/** Parses a name-addr or addr-spec with parameters (for building and checking headers). */
export function parseNameAddr(text: string): NameAddr {
  const p = parseNameAddrParts(text, 'name-addr');
  return { displayName: p.displayName, uri: p.uri, uriText: p.uriText, params: p.params };
}

/** From / To (RFC 3261 §20.20, §20.39). */
export function parseFromTo(value: string, header: string): FromTo {
  const p = parseNameAddrParts(value, header);
  const tag = p.params.tag;
  if (tag === null) fail(ParseErrorCode.BadNameAddr, `tag without a value in ${header}`, header);
  return {
    displayName: p.displayName,
    uri: p.uri,
    uriText: p.uriText,
    params: p.params,
    tag,
  };
}
