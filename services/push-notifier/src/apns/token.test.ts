import { createPrivateKey } from 'node:crypto';
import { generateApnsKey, verifyJwt } from '@sipwake/testkit';
import { createManualClock } from '../test-support/manual-clock.js';
import { createApnsTokenSource } from './token.js';

const key = generateApnsKey({ keyId: 'KEY1234567', teamId: 'TEAM123456' });
const minute = 60_000;

function source(refreshAfterMs?: number) {
  const clock = createManualClock();
  const tokens = createApnsTokenSource({
    key: createPrivateKey(key.privateKeyPem),
    keyId: key.keyId,
    teamId: key.teamId,
    clock,
    ...(refreshAfterMs === undefined ? {} : { refreshAfterMs }),
  });
  return { clock, tokens };
}

describe('APNs provider token', () => {
  it('is an ES256 JWT with kid, iss and iat that the public key verifies', () => {
    const { clock, tokens } = source();
    const checked = verifyJwt(tokens.current(), 'ES256', key.publicKeyPem);
    expect(checked).toEqual({
      ok: true,
      jwt: {
        header: { alg: 'ES256', typ: 'JWT', kid: 'KEY1234567' },
        claims: { iss: 'TEAM123456', iat: Math.floor(clock.now() / 1000) },
      },
    });
  });

  it('is signed once and reused until it is 50 minutes old', () => {
    const { clock, tokens } = source();
    const first = tokens.current();
    clock.advance(49 * minute);
    expect(tokens.current()).toBe(first);
    clock.advance(minute);
    const second = tokens.current();
    expect(second).not.toBe(first);
    expect(tokens.signed()).toBe(2);
  });

  it('never refreshes more often than every 20 minutes, nor later than before the hour', () => {
    const early = source(5 * minute);
    const first = early.tokens.current();
    early.clock.advance(19 * minute);
    expect(early.tokens.current()).toBe(first);
    early.clock.advance(minute);
    expect(early.tokens.current()).not.toBe(first);

    const late = source(90 * minute);
    const token = late.tokens.current();
    late.clock.advance(59 * minute);
    expect(late.tokens.current()).not.toBe(token);
  });

  it('signs one new token when APNs refuses the current one, and ignores an older refusal', () => {
    const { tokens } = source();
    const refused = tokens.current();
    tokens.rejected(refused);
    const fresh = tokens.current();
    expect(fresh).not.toBe(refused);
    // Many pushes that failed with the same old token: still one new token.
    tokens.rejected(refused);
    tokens.rejected(refused);
    expect(tokens.current()).toBe(fresh);
    expect(tokens.signed()).toBe(2);
  });
});
