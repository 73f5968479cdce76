// The settings schema as the sipwake process reads it: defaults, and a bad admin token refused by name.
import { ConfigError, loadConfig } from '@sipwake/config';
import { configSchema } from './config.js';

describe('configuration', () => {
  it('defaults to plain HTTP and no admin API', () => {
    const config = loadConfig(configSchema, { env: {} });
    expect(config.api.tls).toEqual({ certFile: '', keyFile: '' });
    expect(config.admin.token).toBe('');
  });

  it('refuses an admin token shorter than 16 characters, naming the variable, not the value', () => {
    let error: unknown;
    try {
      loadConfig(configSchema, { env: { SIPWAKE_ADMIN_TOKEN: 'tiny-secret' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ key: 'SIPWAKE_ADMIN_TOKEN' });
    expect((error as Error).message).not.toContain('tiny-secret');
    const ok = loadConfig(configSchema, { env: { SIPWAKE_ADMIN_TOKEN: 'x'.repeat(16) } });
    expect(ok.admin.token).toHaveLength(16);
  });
});
