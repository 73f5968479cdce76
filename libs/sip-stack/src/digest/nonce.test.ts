import { createNonceCodec } from './nonce.js';
import { createNonceTracker } from './nonce-tracker.js';

describe('server nonces', () => {
  const secret = Buffer.from('0123456789abcdef0123456789abcdef');

  it('reads back the issue time of its own nonces, and nothing of altered or foreign ones', () => {
    const codec = createNonceCodec({ secret, realm: 'r' });
    const nonce = codec.mint(1_234_567.9);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{48}$/);
    expect(codec.issuedAt(nonce)).toBe(1_234_567);
    expect(codec.mint(1_234_567)).not.toBe(nonce);
    const bytes = Buffer.from(nonce, 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      const altered = Buffer.from(bytes);
      altered[i]! ^= 0x01;
      expect(codec.issuedAt(altered.toString('base64url'))).toBeUndefined();
    }
    expect(codec.issuedAt(`${nonce}A`)).toBeUndefined();
    expect(codec.issuedAt('')).toBeUndefined();
    expect(codec.issuedAt('x y')).toBeUndefined();
    expect(
      createNonceCodec({ secret: Buffer.from(secret).fill(1, 0, 1), realm: 'r' }).issuedAt(nonce),
    ).toBeUndefined();
    expect(createNonceCodec({ secret, realm: 'R' }).issuedAt(nonce)).toBeUndefined();
  });

  it('uses the injected random source', () => {
    const codec = createNonceCodec({ secret, realm: 'r', randomBytes: (n) => Buffer.alloc(n, 7) });
    expect(codec.mint(5)).toBe(codec.mint(5));
  });
});

describe('nonce tracker', () => {
  it('accepts rising nc values and refuses a repeated or lower one', () => {
    const tracker = createNonceTracker({ maxEntries: 10, lifetimeMs: 1000 });
    expect(tracker.use('n', 0, 1, 0)).toBe('ok');
    expect(tracker.use('n', 0, 1, 0)).toBe('replay');
    expect(tracker.use('n', 0, 3, 0)).toBe('ok');
    expect(tracker.use('n', 0, 2, 0)).toBe('replay');
    expect(tracker.use('n', 0, undefined, 0)).toBe('replay');
    expect(tracker.use('m', 0, undefined, 0)).toBe('ok');
    expect(tracker.use('m', 0, undefined, 0)).toBe('replay');
  });

  it('stays within its cap, forgetting the least recently used and refusing what it cannot track', () => {
    const tracker = createNonceTracker({ maxEntries: 3, lifetimeMs: 1000 });
    tracker.use('a', 10, 1, 50);
    tracker.use('b', 20, 1, 50);
    tracker.use('c', 30, 1, 50);
    tracker.use('a', 10, 2, 50); // a is now the most recent; b is the least
    expect(tracker.use('d', 40, 1, 50)).toBe('ok');
    expect(tracker.size).toBe(3);
    expect(tracker.use('b', 20, 1, 50)).toBe('forgotten'); // a replay of b cannot pass
    expect(tracker.use('x', 15, 1, 50)).toBe('forgotten'); // issued before b, never seen
    expect(tracker.use('a', 10, 3, 50)).toBe('ok'); // still tracked
    expect(tracker.use('e', 41, 1, 50)).toBe('ok');
    expect(tracker.size).toBe(3);
  });

  it('drops expired entries first without refusing anything newer', () => {
    const tracker = createNonceTracker({ maxEntries: 2, lifetimeMs: 100 });
    tracker.use('old', 0, 1, 0);
    tracker.use('mid', 50, 1, 50);
    expect(tracker.use('new', 200, 1, 200)).toBe('ok'); // pushes out 'old', which had expired
    expect(tracker.use('also-new', 150, 1, 200)).toBe('ok'); // pushes out 'mid', expired at 150+
    expect(tracker.use('between', 45, 1, 200)).toBe('ok'); // older than both, still not refused
  });
});
