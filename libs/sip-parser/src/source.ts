// A string with its character codes in a typed array, for the parsers' hot loops: in V8,
// reading `b[i]` costs a fraction of `s.charCodeAt(i)` on a string whose representation the
// compiler does not know. Characters are read from `b`, strings are cut from `s`.

/**
 * `b[i] === s.charCodeAt(i)` for every i < s.length. After the string `b` holds a CR (every
 * character class excludes it, so that the loops stop at the end), or, for the text of a parsed
 * message and its octets, nothing (reading there gives undefined, where charCodeAt gives NaN);
 * a value in the message text is followed by its line's CR.
 */
export interface Source {
  readonly s: string;
  readonly b: Codes;
}

/** Character codes: a message's octets, or the UTF-16 code units of a decoded value. */
export type Codes = Uint8Array | Uint16Array;

/** The source of a string: its codes copied, a CR after them. */
export function sourceOf(s: string): Source {
  const n = s.length;
  const b = new Uint16Array(n + 1);
  for (let i = 0; i < n; i++) b[i] = s.charCodeAt(i);
  b[n] = 13;
  return { s, b };
}
