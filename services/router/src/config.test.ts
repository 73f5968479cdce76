import { loadConfig } from '@sipwake/config';
import { configSchema, settingsOf } from './config.js';
import { parseListen } from './listen.js';

describe('listeners from config', () => {
  it.each([
    ['udp:0.0.0.0:5060', { protocol: 'udp', address: '0.0.0.0', port: 5060 }],
    ['tls:[::]:5061', { protocol: 'tls', address: '::', port: 5061 }],
    ['wss:sip.example.net:443', { protocol: 'wss', address: 'sip.example.net', port: 443 }],
  ])('reads %s', (text, expected) => {
    expect(parseListen(text, 'sip.listen[0]')).toEqual(expected);
  });

  it.each(['sctp:0.0.0.0:5060', 'udp:0.0.0.0', 'udp:0.0.0.0:70000', 'udp::::5060'])(
    'refuses %s naming the key',
    (text) => {
      expect(() => parseListen(text, 'sip.listen[1]')).toThrow(
        expect.objectContaining({
          code: 'BAD_LISTEN',
          message: expect.stringContaining('sip.listen[1]'),
        }) as Error,
      );
    },
  );
});

describe('settingsOf', () => {
  it('listens on UDP and TCP 5060 of the loopback address by default', () => {
    const settings = settingsOf(loadConfig(configSchema, { env: {} }), 'r1');
    expect(settings).toMatchObject({
      routerId: 'r1',
      listen: [
        { protocol: 'udp', address: '127.0.0.1', port: 5060 },
        { protocol: 'tcp', address: '127.0.0.1', port: 5060 },
      ],
      forwardTimeoutMs: 2000,
      retryAfterS: 5,
    });
    expect(Object.isFrozen(settings)).toBe(true);
  });

  it('takes listeners and durations from variables', () => {
    const config = loadConfig(configSchema, {
      env: {
        SIPWAKE_SIP_LISTEN: 'udp:127.0.0.1:5070, ws:127.0.0.1:8080',
        SIPWAKE_SHUTDOWN_GRACE_MS: '3s',
      },
    });
    const settings = settingsOf(config, 'r1');
    expect(settings.listen).toEqual([
      { protocol: 'udp', address: '127.0.0.1', port: 5070 },
      { protocol: 'ws', address: '127.0.0.1', port: 8080 },
    ]);
    expect(settings.stopGraceMs).toBe(3000);
  });

  it('refuses a router id that is not one subject token', () => {
    expect(() => loadConfig(configSchema, { env: { SIPWAKE_ROUTER_ID: 'a.b' } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }) as Error,
    );
  });
});
