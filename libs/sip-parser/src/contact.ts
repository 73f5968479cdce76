// Contact (RFC 3261 §20.10, §10.2.1.1 wildcard; RFC 5626 +sip.instance; RFC 8599 pn-*).
import { ParseErrorCode } from './errors.js';
import { parseNameAddrParts } from './name-addr.js';
import { unquote } from './params.js';
import { fail, parseBoundedInt } from './text.js';
import { MAX_DELTA_SECONDS } from './scalars.js';
import type { Contact, PushParams } from './types.js';

const CODE = ParseErrorCode.BadNameAddr;

/** qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) (RFC 3261 §25.1). */
function parseQ(v: string): number {
  const ok = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(v);
  if (!ok) fail(ParseErrorCode.BadNumber, `Contact q=${v} is not a qvalue`, 'contact');
  return Number(v);
}

function pushParam(
  uriParams: Readonly<Record<string, string | null>>,
  params: Readonly<Record<string, string | null>>,
  name: string,
): string | undefined {
  const u = uriParams[name];
  if (u !== undefined && u !== null) return u;
  const h = params[name];
  return h === undefined || h === null ? undefined : unquote(h);
}

/** Parses one Contact element (already split from its list). */
export function parseContact(value: string): Contact {
  const p = parseNameAddrParts(value, 'contact');
  const params = p.params;
  let expires: number | undefined;
  const e = params.expires;
  if (e !== undefined) {
    expires = e === null ? -1 : parseBoundedInt(e, MAX_DELTA_SECONDS);
    if (expires < 0) fail(ParseErrorCode.BadNumber, 'Contact expires out of range', 'contact');
  }
  const qv = params.q;
  if (qv === null) fail(CODE, 'Contact q without a value', 'contact');
  const q = qv === undefined ? undefined : parseQ(qv);
  const inst = params['+sip.instance'];
  let instance: string | undefined;
  if (inst !== undefined && inst !== null) {
    instance = unquote(inst);
    if (instance.startsWith('<') && instance.endsWith('>')) instance = instance.slice(1, -1);
  }
  const up = p.uri.params;
  const push: PushParams = {
    provider: pushParam(up, params, 'pn-provider'),
    prid: pushParam(up, params, 'pn-prid'),
    param: pushParam(up, params, 'pn-param'),
    purr: pushParam(up, params, 'pn-purr'),
  };
  return {
    displayName: p.displayName,
    uri: p.uri,
    uriText: p.uriText,
    params,
    expires,
    q,
    instance,
    push,
  };
}

/** Every Contact value of a message: `'*'` for the wildcard of RFC 3261 §10.2.2. */
export function parseContacts(elements: readonly string[]): readonly Contact[] | '*' {
  if (elements.length === 1 && elements[0] === '*') return '*';
  const out: Contact[] = [];
  for (const e of elements) {
    if (e === '*') fail(CODE, 'wildcard Contact mixed with other values', 'contact');
    out.push(parseContact(e));
  }
  return out;
}
