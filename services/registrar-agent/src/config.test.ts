import { ConfigError, loadConfig } from '@sipwake/config';
import { callSideDefaults } from './calls/call-side.js';
import { configSchema, settingsDefaults, settingsOf } from './config.js';

const deviceSide = [
  'maxDeviceExpiresS',
  'defaultDeviceExpiresS',
  'dialogIdleMs',
  'maxDialogs',
] as const;

const pick = (settings: Record<(typeof deviceSide)[number], number>) =>
  Object.fromEntries(deviceSide.map((key) => [key, settings[key]]));

describe('device-side settings', () => {
  it('default to the calls side defaults: 300 s, 120 s, 4 h, 100,000', () => {
    const settings = settingsOf(loadConfig(configSchema, { env: {} }));
    expect(pick(settings)).toEqual({
      maxDeviceExpiresS: 300,
      defaultDeviceExpiresS: 120,
      dialogIdleMs: 14_400_000,
      maxDialogs: 100_000,
    });
    expect(pick(settingsDefaults)).toEqual(pick(settings));
    expect(pick(callSideDefaults)).toEqual(pick(settings));
  });

  it('are read from their variables', () => {
    const settings = settingsOf(
      loadConfig(configSchema, {
        env: {
          SIPWAKE_DEVICE_MAX_EXPIRES_S: '600',
          SIPWAKE_DEVICE_DEFAULT_EXPIRES_S: '60',
          SIPWAKE_CALLS_DIALOG_IDLE_MS: '7200000',
          SIPWAKE_CALLS_MAX_DIALOGS: '5000',
        },
      }),
    );
    expect(pick(settings)).toEqual({
      maxDeviceExpiresS: 600,
      defaultDeviceExpiresS: 60,
      dialogIdleMs: 7_200_000,
      maxDialogs: 5000,
    });
  });

  it('refuse an out-of-range value naming the key', () => {
    const load = () => loadConfig(configSchema, { env: { SIPWAKE_DEVICE_MAX_EXPIRES_S: '0' } });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/SIPWAKE_DEVICE_MAX_EXPIRES_S|device\.maxExpiresS/);
  });
});
