import { decodeMessage, encodeMessage } from '../codec.js';
import { ContractError } from '../errors.js';
import { ExpireAck, ExpireInstance } from './expiry.js';

const expire = {
  shard: 'shard-a',
  selector: '628bef098cd19b085f0eb48256f504f34142c01a',
  version: 7,
  lastHeardAt: 1_800_000_000_000,
};

function failingPaths(schema: Parameters<typeof decodeMessage>[0], value: unknown): string[] {
  try {
    decodeMessage(schema, Buffer.from(JSON.stringify(value)), { subject: 's' });
  } catch (error) {
    if (error instanceof ContractError) return error.errors.map((e) => e.path);
    throw error;
  }
  return [];
}

describe('expiry schemas', () => {
  it('round-trip valid values', () => {
    expect(decodeMessage(ExpireInstance, encodeMessage(ExpireInstance, expire))).toEqual(expire);
    for (const outcome of ['deleted', 'gone', 'kept'] as const) {
      expect(decodeMessage(ExpireAck, encodeMessage(ExpireAck, { outcome }))).toEqual({ outcome });
    }
  });

  it('names the failing field', () => {
    expect(failingPaths(ExpireInstance, { ...expire, selector: 'ABC' })).toContain('/selector');
    expect(failingPaths(ExpireInstance, { ...expire, lastHeardAt: -1 })).toContain('/lastHeardAt');
    expect(failingPaths(ExpireInstance, { ...expire, shard: 'a.b' })).toContain('/shard');
    expect(failingPaths(ExpireAck, { outcome: 'written' })).toContain('/outcome');
  });
});
