import { TransportError } from './errors.js';
import { resolveTransportOptions, transportDefaults } from './options.js';
import type { TransportOptions } from './options.js';

const base: TransportOptions = {
  listen: [{ protocol: 'udp', address: '127.0.0.1', port: 0 }],
  idleTimeoutMs: 1000,
  keepAliveIntervalMs: 0,
  maxMessageBytes: 65535,
};

function badOptionsMessage(options: TransportOptions): string {
  try {
    resolveTransportOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe('BAD_OPTIONS');
    return (error as Error).message;
  }
  throw new Error('options were accepted');
}

describe('transport options', () => {
  it('fills defaults and freezes the result', () => {
    const resolved = resolveTransportOptions(base);
    expect(resolved.maxConnections).toBe(transportDefaults.maxConnections);
    expect(resolved.connectTimeoutMs).toBe(transportDefaults.connectTimeoutMs);
    expect(resolved.keepAlivePongTimeoutMs).toBeUndefined();
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.listen[0])).toBe(true);
  });

  it('names the key of a bad value', () => {
    expect(badOptionsMessage({ ...base, idleTimeoutMs: 0 })).toMatch(/^idleTimeoutMs/);
    expect(badOptionsMessage({ ...base, keepAliveIntervalMs: -1 })).toMatch(/^keepAliveIntervalMs/);
    expect(badOptionsMessage({ ...base, maxMessageBytes: Number.NaN })).toMatch(/^maxMessageBytes/);
    expect(
      badOptionsMessage({ ...base, listen: [{ protocol: 'udp', address: '::1', port: 70000 }] }),
    ).toMatch(/^listen\[0\]\.port/);
  });

  it('refuses a TLS or WSS listener without a certificate', () => {
    expect(
      badOptionsMessage({ ...base, listen: [{ protocol: 'wss', address: '::1', port: 0 }] }),
    ).toMatch(/needs tls\.key and tls\.cert/);
  });
});
