import { Type } from '@sinclair/typebox';
import { ConfigError } from '@sipwake/config';
import { checkUnknownVariables, knownVariables, loadSectionConfig } from './process-config.js';

const shared = Type.Object({
  nats: Type.Object({ url: Type.String({ default: '', description: 'NATS URL' }) }),
});
const router = Type.Object({
  nats: Type.Object({ url: Type.String({ default: '', description: 'NATS URL' }) }),
  router: Type.Object({ udpPort: Type.Integer({ default: 5060, description: 'UDP port' }) }),
});

describe('process config', () => {
  it('knows the variables of every schema, once each', () => {
    expect([...knownVariables([shared, router])].sort()).toEqual([
      'SIPWAKE_NATS_URL',
      'SIPWAKE_ROUTER_UDP_PORT',
    ]);
  });

  it('refuses two schemas that give one variable two meanings', () => {
    const other = Type.Object({
      nats: Type.Object({ url: Type.String({ default: 'nats://x', description: 'NATS URL' }) }),
    });
    expect(() => knownVariables([shared, other])).toThrow(/SIPWAKE_NATS_URL/);
  });

  it('refuses a SIPWAKE_ variable that no schema of the process reads, naming it', () => {
    const known = knownVariables([shared, router]);
    const env = { SIPWAKE_NATS_URL: 'nats://127.0.0.1:4222', SIPWAKE_ROUTR_UDP_PORT: '5070' };
    let error: unknown;
    try {
      checkUnknownVariables(env, known);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe('SIPWAKE_ROUTR_UDP_PORT');
    expect(() =>
      checkUnknownVariables({ HOME: '/root', SIPWAKE_CONFIG_FILE: 'x' }, known),
    ).not.toThrow();
  });

  it("loads one section while ignoring the other sections' variables", () => {
    const env = { SIPWAKE_NATS_URL: 'nats://a:4222', SIPWAKE_ROUTER_UDP_PORT: '5070' };
    expect(loadSectionConfig(shared, env)).toEqual({ nats: { url: 'nats://a:4222' } });
    expect(loadSectionConfig(router, env).router.udpPort).toBe(5070);
  });
});
