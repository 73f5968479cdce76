import { DigestError } from './errors.js';
import { decodeExtValue, formatDigestHeader, quoteString } from './format.js';

describe('auth-param writing', () => {
  it('quotes what must be quoted and leaves tokens bare', () => {
    expect(
      formatDigestHeader([
        { name: 'realm', value: 'a.example', quoted: true },
        { name: 'algorithm', value: 'SHA-256', quoted: false },
      ]),
    ).toBe('Digest realm="a.example", algorithm=SHA-256');
  });

  it('escapes quote and backslash, and refuses CR, LF and NUL', () => {
    expect(quoteString('username', 'a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteString('username', 'J\u00e4s\u00f8n Doe')).toBe('"J\u00e4s\u00f8n Doe"');
    for (const bad of ['a\rb', 'a\nb', 'a\0b']) {
      expect(() => quoteString('username', bad)).toThrow(DigestError);
    }
  });

  it('refuses an unquoted value that is not a token', () => {
    expect(() =>
      formatDigestHeader([{ name: 'qop', value: 'auth, auth-int', quoted: false }]),
    ).toThrow(DigestError);
  });

  it('decodes RFC 8187 UTF-8 ext-values and nothing else', () => {
    expect(decodeExtValue("UTF-8''J%C3%A4s%C3%B8n%20Doe")).toBe('J\u00e4s\u00f8n Doe');
    expect(decodeExtValue("utf-8'de'Hans")).toBe('Hans');
    expect(decodeExtValue("ISO-8859-1''J%E4son")).toBeUndefined();
    expect(decodeExtValue("UTF-8''%C3")).toBeUndefined();
    expect(decodeExtValue("UTF-8''a b")).toBeUndefined();
    expect(decodeExtValue('plain')).toBeUndefined();
  });
});
