import { CliError } from './errors.js';
import { loadEndpointConfig, parseListen } from './config.js';

describe('endpoint configuration', () => {
  it('defaults to UDP and TCP on 127.0.0.1:5060 and WS on 5080', () => {
    const config = loadEndpointConfig({});
    expect(config.listen).toEqual([
      { protocol: 'udp', address: '127.0.0.1', port: 5060 },
      { protocol: 'tcp', address: '127.0.0.1', port: 5060 },
      { protocol: 'ws', address: '127.0.0.1', port: 5080 },
    ]);
    expect(config.logLevel).toBe('info');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads IPv6 listeners in brackets', () => {
    expect(parseListen('K', 'udp:[::1]:5070, tls:0.0.0.0:5061')).toEqual([
      { protocol: 'udp', address: '::1', port: 5070 },
      { protocol: 'tls', address: '0.0.0.0', port: 5061 },
    ]);
  });

  it.each([
    ['sctp:127.0.0.1:5060', /"sctp" is not one of/],
    ['udp:127.0.0.1', /is not protocol:address:port/],
    ['udp:127.0.0.1:70000', /out of range/],
    ['', /at least one listener/],
  ])('refuses SIPWAKE_SIP_LISTEN=%j naming the variable', (value, message) => {
    let error: unknown;
    try {
      loadEndpointConfig({ SIPWAKE_SIP_LISTEN: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).key).toBe('SIPWAKE_SIP_LISTEN');
    expect((error as CliError).message).toMatch(/^SIPWAKE_SIP_LISTEN: /);
    expect((error as CliError).message).toMatch(message);
  });

  it('needs a key and certificate for a TLS listener', () => {
    expect(() => loadEndpointConfig({ SIPWAKE_SIP_LISTEN: 'tls:127.0.0.1:5061' })).toThrow(
      /SIPWAKE_TLS_KEY_FILE: required/,
    );
  });

  it('refuses an unknown log level', () => {
    expect(() => loadEndpointConfig({ SIPWAKE_LOG_LEVEL: 'loud' })).toThrow(/SIPWAKE_LOG_LEVEL/);
  });
});
