// Contact (RFC 3261 §20.10, §10.2.1.1 wildcard; RFC 5626 +sip.instance; RFC 8599 pn-*).
import { ParseErrorCode } from './errors.js';
import { parseNameAddrList, parseNameAddrValue } from './name-addr.js';
import { fail } from './text.js';
import type { Source } from './source.js';
import type { Contact } from './types.js';
import { ContactAddress } from './address.js';
import type { HeaderList } from './headers.js';

const CODE = ParseErrorCode.BadNameAddr;

/** A Contact from the pieces of its name-addr. */
export function toContact(
  displayName: string | undefined,
  uriText: string,
  src: Source,
  ranges: number[],
): Contact {
  return new ContactAddress(displayName, uriText, src, ranges);
}

/** Parses one Contact element. */
export function parseContact(value: string): Contact {
  return parseNameAddrValue(value, 'contact', toContact);
}

/** Every Contact of a message: `'*'` for the wildcard of RFC 3261 §10.2.2, which must then be
 * the only value. */
export function readContactList(h: HeaderList, id: number): readonly Contact[] | '*' {
  const out: Contact[] = [];
  let star = 0;
  let fields = 0;
  const n = h.size();
  for (let k = 0; k < n; k++) {
    if (h.idAt(k) !== id) continue;
    fields++;
    const src = h.source(k);
    const start = h.srcStart;
    const end = h.srcEnd;
    if (end - start === 1 && src.b[start] === 42) star++;
    else parseNameAddrList(src, start, end, 'contact', out, toContact);
  }
  if (star === 0) return out;
  if (fields !== 1 || out.length > 0) {
    fail(CODE, 'wildcard Contact mixed with other values', 'contact');
  }
  return '*';
}
