import { generateBranch, hasMagicCookie, MAGIC_COOKIE } from './branch.js';

describe('Via branch', () => {
  it('starts with the magic cookie and never repeats', () => {
    const branches = new Set(Array.from({ length: 10_000 }, () => generateBranch()));
    expect(branches.size).toBe(10_000);
    for (const branch of branches) {
      expect(branch.startsWith(MAGIC_COOKIE)).toBe(true);
      expect(branch).toMatch(/^[A-Za-z0-9._!%*+`'~-]+$/);
    }
  });

  it('carries at least 96 random bits after the cookie', () => {
    const random = generateBranch().slice(MAGIC_COOKIE.length);
    expect(Buffer.from(random, 'base64url').length).toBeGreaterThanOrEqual(12);
  });

  it('can carry a token marker for the element that made it', () => {
    expect(generateBranch('sw.4f')).toMatch(/^z9hG4bKsw\.4f-[A-Za-z0-9_-]{16}$/);
    expect(() => generateBranch('bad marker')).toThrow(TypeError);
  });

  it('tells RFC 3261 branches from RFC 2543 ones', () => {
    expect(hasMagicCookie('z9hG4bK776asdhds')).toBe(true);
    expect(hasMagicCookie('776asdhds')).toBe(false);
    expect(hasMagicCookie(undefined)).toBe(false);
  });
});
