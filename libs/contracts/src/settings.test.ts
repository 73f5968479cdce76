import { Value } from '@sinclair/typebox/value';
import { Type } from '@sinclair/typebox';
import { sipHostFor } from './host.js';
import { sharedSipSettings } from './settings.js';

describe('shared SIP settings', () => {
  const schema = Type.Object(sharedSipSettings);

  it('has defaults that name a usable SIP host', () => {
    const defaults = Value.Default(schema, {}) as { host: string; hostPrefixLength: number };
    expect(Value.Check(schema, defaults)).toBe(true);
    expect(sipHostFor('a'.repeat(40), defaults.hostPrefixLength, defaults.host)).toBe('127.0.0.1');
  });

  it('refuses a host prefix longer than a selector', () => {
    expect(Value.Check(schema, { host: 'h', hostPrefixLength: 41, maxMessageBytes: 65535 })).toBe(
      false,
    );
  });
});
