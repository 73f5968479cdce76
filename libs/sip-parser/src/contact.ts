// Contact (RFC 3261 §20.10, §10.2.1.1 wildcard; RFC 5626 +sip.instance; RFC 8599 pn-*).
import { ParseErrorCode } from './errors.js';
import { parseNameAddrList, parseNameAddrParts, type NameAddrParts } from './name-addr.js';
import { unquote } from './params.js';
import { fail, parseBoundedInt } from './text.js';
import { MAX_DELTA_SECONDS } from './scalars.js';
import type { Contact } from './types.js';
import { ContactAddress } from './address.js';

const CODE = ParseErrorCode.BadNameAddr;

/** qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) (RFC 3261 §25.1). */
function parseQ(v: string): number {
  const ok = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(v);
  if (!ok) fail(ParseErrorCode.BadNumber, `Contact q=${v} is not a qvalue`, 'contact');
  return Number(v);
}

/** A Contact from the parts of its name-addr. */
export function toContact(p: NameAddrParts): Contact {
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
  return new ContactAddress(p.displayName, p.uriText, params, expires, q, instance);
}

/** Parses one Contact element. */
export function parseContact(value: string): Contact {
  return toContact(parseNameAddrParts(value, 'contact'));
}

/** Every Contact value of a message (field values in order): `'*'` for the wildcard of
 * RFC 3261 §10.2.2, which must then be the only value. */
export function parseContacts(values: readonly string[]): readonly Contact[] | '*' {
  const out: Contact[] = [];
  let star = false;
  for (const v of values) {
    if (v.trim() === '*') star = true;
    else parseNameAddrList(v, 'contact', out, toContact);
  }
  if (!star) return out;
  if (values.length !== 1 || out.length > 0) {
    fail(CODE, 'wildcard Contact mixed with other values', 'contact');
  }
  return '*';
}
