import {
  addressFamily,
  bracketIPv6,
  canonicalAddress,
  sameAddress,
  stripBrackets,
  unmapIPv4,
} from './address.js';

describe('addresses', () => {
  it('compares IPv6 literals across notations', () => {
    expect(sameAddress('[::1]', '0:0:0:0:0:0:0:1')).toBe(true);
    expect(sameAddress('2001:DB8::1', '2001:db8:0:0::1')).toBe(true);
    expect(sameAddress('2001:db8::1', '2001:db8::2')).toBe(false);
    expect(sameAddress('::ffff:192.0.2.1', '192.0.2.1')).toBe(true);
    expect(sameAddress('::ffff:c000:0201', '::ffff:192.0.2.1')).toBe(true);
  });

  it('treats a name as different from any address', () => {
    expect(sameAddress('example.com', '192.0.2.1')).toBe(false);
    expect(sameAddress('Example.COM', 'example.com')).toBe(true);
  });

  it('knows families, brackets and mapped IPv4', () => {
    expect(addressFamily('[::1]')).toBe(6);
    expect(addressFamily('127.0.0.1')).toBe(4);
    expect(addressFamily('example.com')).toBe(0);
    expect(stripBrackets('[::1]')).toBe('::1');
    expect(bracketIPv6('::1')).toBe('[::1]');
    expect(bracketIPv6('127.0.0.1')).toBe('127.0.0.1');
    expect(unmapIPv4('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(canonicalAddress('::')).toBe('0:0:0:0:0:0:0:0');
  });
});
