import {
  adminTokenMatches,
  bearerCredentials,
  bearerToken,
  hashToken,
  newInstanceToken,
  tokenMatches,
} from './token.js';

describe('instance tokens', () => {
  it('are 32 random bytes in base64url, stored as SHA-256 hex', () => {
    const token = newInstanceToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(newInstanceToken()).not.toBe(token);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('match only their own hash, never an absent or malformed one', () => {
    const token = newInstanceToken();
    expect(tokenMatches(token, hashToken(token))).toBe(true);
    expect(tokenMatches(newInstanceToken(), hashToken(token))).toBe(false);
    expect(tokenMatches(token, undefined)).toBe(false);
    expect(tokenMatches(undefined, hashToken(''))).toBe(false);
    expect(tokenMatches(token, 'zz')).toBe(false);
  });

  it('are read from a Bearer header only when well formed', () => {
    const token = newInstanceToken();
    expect(bearerToken(`Bearer ${token}`)).toBe(token);
    expect(bearerToken(`bearer  ${token}`)).toBe(token);
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken(`Basic ${token}`)).toBeUndefined();
    expect(bearerToken('Bearer short')).toBeUndefined();
  });
});

describe('the admin token', () => {
  const configured = 'admin-token-0123456789abcdef';

  it('matches only the configured token, of any length, never when none is configured', () => {
    expect(adminTokenMatches(configured, configured)).toBe(true);
    expect(adminTokenMatches(`${configured}x`, configured)).toBe(false);
    expect(adminTokenMatches(configured.slice(0, -1), configured)).toBe(false);
    expect(adminTokenMatches(undefined, configured)).toBe(false);
    expect(adminTokenMatches('', '')).toBe(false);
    expect(adminTokenMatches(undefined, '')).toBe(false);
  });

  it('is read from a Bearer header whatever its characters', () => {
    expect(bearerCredentials(`Bearer ${configured}`)).toBe(configured);
    expect(bearerCredentials(`bearer  a.b~c`)).toBe('a.b~c');
    expect(bearerCredentials(configured)).toBeUndefined();
    expect(bearerCredentials(undefined)).toBeUndefined();
  });
});
