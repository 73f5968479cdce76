// SIP methods as shared string literals: the usual methods of RFC 3261 and its extensions come
// back as the same strings, so comparing a request's method with its CSeq method is one
// pointer test and nothing is allocated for them.
import type { Codes } from './source.js';

const METHODS = [
  'INVITE',
  'ACK',
  'BYE',
  'CANCEL',
  'REGISTER',
  'OPTIONS',
  'MESSAGE',
  'SUBSCRIBE',
  'NOTIFY',
  'INFO',
  'PRACK',
  'UPDATE',
  'REFER',
  'PUBLISH',
];

function byLength(): (string[] | undefined)[] {
  const t: (string[] | undefined)[] = [];
  for (const m of METHODS) (t[m.length] ??= []).push(m);
  return t;
}

const BY_LENGTH = byLength();

/** The method token `s[start, end)` (case-sensitive, RFC 3261 §7.1), its codes in `b`. */
export function methodName(b: Codes, s: string, start: number, end: number): string {
  const list = BY_LENGTH[end - start];
  if (list !== undefined) {
    for (let k = 0; k < list.length; k++) {
      const m = list[k]!;
      let i = 0;
      while (i < m.length && b[start + i] === m.charCodeAt(i)) i++;
      if (i === m.length) return m;
    }
  }
  return s.substring(start, end);
}
