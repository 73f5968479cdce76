import { documentedCodes, readPackageReadme } from '@sipwake/testkit';
import { ParseErrorCode, SipParseError, statusForParseError } from './index.js';

const documented = documentedCodes(readPackageReadme(__dirname), { section: 'Error codes' }).map(
  (row) => row.code,
);

describe('error codes', () => {
  test('the README table lists exactly the codes of ParseErrorCode, in order', () => {
    expect(documented).toEqual(Object.values(ParseErrorCode));
  });

  test('codes are unique and upper snake case', () => {
    const codes = Object.values(ParseErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^[A-Z][A-Z_]+$/);
  });

  test('SipParseError carries name, code, offset and header', () => {
    const e = new SipParseError(ParseErrorCode.BadCseq, 'x', { offset: 12, header: 'cseq' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('SipParseError');
    expect(e.code).toBe('BAD_CSEQ');
    expect(e.offset).toBe(12);
    expect(e.header).toBe('cseq');
    expect(statusForParseError(e)).toBe(400);
    expect(statusForParseError(new SipParseError(ParseErrorCode.BadVersion, 'v'))).toBe(505);
  });
});
