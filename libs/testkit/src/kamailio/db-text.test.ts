import { escapeDbText, subscriberTable, versionTable } from './db-text.js';

describe('db_text tables', () => {
  it('escapes the delimiter and control characters', () => {
    expect(escapeDbText('a:b\\c\nd\te\r\0')).toBe('a\\:b\\\\c\\nd\\te\\r\\0');
  });

  it('declares ha1 and ha1b nullable and lists subscriber:7 (PEERS.md)', () => {
    const [header] = subscriberTable([], 'MD5').split('\n');
    expect(header).toContain('ha1(string,null)');
    expect(header).toContain('ha1b(string,null)');
    expect(versionTable().split('\n')).toContain('subscriber:7');
  });

  it('stores HA1 = MD5(user:realm:password) with the domain as realm (RFC 2617 §3.2.2.2)', () => {
    // RFC 2617 §3.5: Mufasa / testrealm@host.com / "Circle Of Life".
    const table = subscriberTable(
      [{ username: 'Mufasa', password: 'Circle Of Life', domain: 'testrealm@host.com' }],
      'MD5',
    );
    const row = table.split('\n')[1]!;
    expect(row.split(':')).toEqual([
      '1',
      'Mufasa',
      'testrealm@host.com',
      '939e7578ed9e3c518a452acee763bce9',
      expect.stringMatching(/^[0-9a-f]{32}$/),
    ]);
    expect(table).not.toContain('Circle Of Life');
  });

  it('stores SHA-256 HA1 values when asked (RFC 7616 §3.9.1)', () => {
    // RFC 7616 §3.9.1: Mufasa / http-auth@example.org / "Circle of Life".
    const table = subscriberTable(
      [{ username: 'Mufasa', password: 'Circle of Life', domain: 'http-auth@example.org' }],
      'SHA-256',
    );
    const ha1 = table.split('\n')[1]!.split(':')[3];
    expect(ha1).toBe('7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232');
  });
});
