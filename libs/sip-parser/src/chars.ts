// Character classes of RFC 3261 §25.1 as one lookup table of bit flags, indexed by char code
// (codes above 0x7F have no class). Built once, never changed.

export const C_TOKEN = 1; // token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"
export const C_WS = 2; // SP / HTAB
export const C_DIGIT = 4;
export const C_HEX = 8;
export const C_USER = 16; // unreserved / user-unreserved ("&" "=" "+" "$" "," ";" "?" "/")
export const C_PASSWORD = 32; // unreserved / "&" / "=" / "+" / "$" / ","
export const C_PARAM = 64; // paramchar without escapes: param-unreserved / unreserved
export const C_HNV = 128; // hvalue without escapes: hnv-unreserved / unreserved
export const C_HOST = 256; // hostname / IPv4 characters: alphanum / "-" / "."
export const C_WORD = 512; // word (Call-ID): token chars and ( ) < > : \ DQUOTE / [ ] ? { }
export const C_PVAL = 1024; // a header parameter value outside quotes (lenient gen-value)
export const C_SCHEME = 2048; // scheme: ALPHA / DIGIT / "+" / "-" / "."
export const C_URIC = 4096; // absoluteURI characters (uric, RFC 2396) and "%"

function build(): Uint16Array {
  const t = new Uint16Array(128);
  const add = (chars: string, flag: number): void => {
    for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)]! |= flag;
  };
  const alpha = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const digit = '0123456789';
  const alnum = alpha + digit;
  const mark = "-_.!~*'()";
  const unreserved = alnum + mark;
  add(alnum + "-.!%*_+`'~", C_TOKEN);
  add(' \t', C_WS);
  add(digit, C_DIGIT);
  add(digit + 'abcdefABCDEF', C_HEX);
  add(unreserved + '&=+$,;?/', C_USER);
  add(unreserved + '&=+$,', C_PASSWORD);
  add(unreserved + '[]/:&+$', C_PARAM);
  add(unreserved + '[]/?:+$', C_HNV);
  add(alnum + '-.', C_HOST);
  add(alnum + '-.!%*_+`\'~()<>:\\"/[]?{}', C_WORD);
  for (let c = 0x21; c < 0x7f; c++) t[c]! |= C_PVAL;
  for (const c of ';,"<>\\') t[c.charCodeAt(0)]! &= ~C_PVAL;
  add(alnum + '+-.', C_SCHEME);
  add(unreserved + ';/?:@&=+$,%[]', C_URIC);
  return t;
}

export const CHARS: Uint16Array = build();

/** True when char code `c` is in class `flag`. */
export function is(c: number, flag: number): boolean {
  return c < 128 && (CHARS[c]! & flag) !== 0;
}

export function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** One class as a 0/1 table: the fastest lookup in a hot loop (hoist it into a local first). */
function only(flag: number): Uint8Array {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) t[c] = (CHARS[c]! & flag) !== 0 ? 1 : 0;
  return t;
}

export const TOKEN_CHARS: Uint8Array = only(C_TOKEN);
export const PVAL_CHARS: Uint8Array = only(C_PVAL);
export const HOST_CHARS: Uint8Array = only(C_HOST);
export const WORD_CHARS: Uint8Array = only(C_WORD);
export const PARAM_CHARS: Uint8Array = only(C_PARAM);
