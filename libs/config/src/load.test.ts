import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './errors.js';
import { loadConfig } from './load.js';
import { exampleSchema } from './test-support/schema.js';

const required = { SIPWAKE_DB_URL: 'postgres://127.0.0.1/postgres' };

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sipwake-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const yamlFile = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('fills every default from the schema', () => {
    const config = loadConfig(exampleSchema, { env: required });
    expect(config).toEqual({
      bus: { url: 'nats://127.0.0.1:4222', requestTimeoutMs: 2000 },
      db: { url: 'postgres://127.0.0.1/postgres' },
      http: { port: 8080, trustProxy: false },
      prefixBits: 0,
      mode: 'takeover',
      shards: ['0/0'],
      ports: [],
    });
  });

  it('maps nested keys to upper snake case variables', () => {
    const config = loadConfig(exampleSchema, {
      env: {
        ...required,
        SIPWAKE_BUS_URL: 'nats://10.0.0.1:4222',
        SIPWAKE_BUS_REQUEST_TIMEOUT_MS: '500',
      },
    });
    expect(config.bus).toEqual({ url: 'nats://10.0.0.1:4222', requestTimeoutMs: 500 });
  });

  it('reads integers and decimals, and rejects a fraction for an integer', () => {
    expect(
      loadConfig(exampleSchema, { env: { ...required, SIPWAKE_PREFIX_BITS: '2.5' } }).prefixBits,
    ).toBe(2.5);
    const error = errorOf(() =>
      loadConfig(exampleSchema, { env: { ...required, SIPWAKE_HTTP_PORT: '80.5' } }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.key).toBe('SIPWAKE_HTTP_PORT');
    expect(error.message).toBe('SIPWAKE_HTTP_PORT: expected an integer');
  });

  it('reads durations with units for keys ending in Ms', () => {
    const read = (text: string): number =>
      loadConfig(exampleSchema, { env: { ...required, SIPWAKE_BUS_REQUEST_TIMEOUT_MS: text } }).bus
        .requestTimeoutMs;
    expect([read('250ms'), read('30s'), read('5m'), read('1h'), read('1d'), read('1.5s')]).toEqual([
      250, 30_000, 300_000, 3_600_000, 86_400_000, 1500,
    ]);
    const error = errorOf(() => read('5 fortnights'));
    expect(error.message).toMatch(/^SIPWAKE_BUS_REQUEST_TIMEOUT_MS: expected .*duration/);
  });

  it('takes durations only where the key says milliseconds', () => {
    const error = errorOf(() =>
      loadConfig(exampleSchema, { env: { ...required, SIPWAKE_HTTP_PORT: '5s' } }),
    );
    expect(error.key).toBe('SIPWAKE_HTTP_PORT');
  });

  it('reads booleans in their usual spellings', () => {
    const read = (text: string): boolean =>
      loadConfig(exampleSchema, { env: { ...required, SIPWAKE_HTTP_TRUST_PROXY: text } }).http
        .trustProxy;
    expect(['true', 'TRUE', '1', 'yes', 'on'].map(read)).toEqual([true, true, true, true, true]);
    expect(['false', '0', 'no', 'off'].map(read)).toEqual([false, false, false, false]);
    const error = errorOf(() => read('maybe'));
    expect(error.message).toBe('SIPWAKE_HTTP_TRUST_PROXY: expected true or false');
  });

  it('reads comma-separated lists and their item type', () => {
    const config = loadConfig(exampleSchema, {
      env: { ...required, SIPWAKE_SHARDS: '4/2, c/2 ,', SIPWAKE_PORTS: '5060,5061' },
    });
    expect(config.shards).toEqual(['4/2', 'c/2']);
    expect(config.ports).toEqual([5060, 5061]);
    const error = errorOf(() =>
      loadConfig(exampleSchema, { env: { ...required, SIPWAKE_PORTS: '5060,x' } }),
    );
    expect(error.message).toBe('SIPWAKE_PORTS: expected a comma-separated list of an integer');
  });

  it('accepts one of the literals of a union and names them otherwise', () => {
    expect(loadConfig(exampleSchema, { env: { ...required, SIPWAKE_MODE: 'always' } }).mode).toBe(
      'always',
    );
    const error = errorOf(() =>
      loadConfig(exampleSchema, { env: { ...required, SIPWAKE_MODE: 'never' } }),
    );
    expect(error.message).toBe('SIPWAKE_MODE: expected one of "takeover", "always"');
  });

  it('names the variable of a missing required key', () => {
    const error = errorOf(() => loadConfig(exampleSchema, { env: {} }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.key).toBe('SIPWAKE_DB_URL');
    expect(error.message).toBe('SIPWAKE_DB_URL: required, a string');
  });

  it('names the variable of a value that fails a schema bound, without the value', () => {
    const error = errorOf(() =>
      loadConfig(exampleSchema, { env: { ...required, SIPWAKE_ADMIN_TOKEN: 'hunter2' } }),
    );
    expect(error.key).toBe('SIPWAKE_ADMIN_TOKEN');
    expect(error.message).toMatch(
      /^SIPWAKE_ADMIN_TOKEN: expected string length greater or equal to 16/,
    );
    expect(error.message).not.toContain('hunter2');
    const port = errorOf(() =>
      loadConfig(exampleSchema, { env: { ...required, SIPWAKE_HTTP_PORT: '70000' } }),
    );
    expect(port.message).toBe('SIPWAKE_HTTP_PORT: expected integer to be less or equal to 65535');
  });

  it('treats an empty variable as unset', () => {
    expect(
      loadConfig(exampleSchema, { env: { ...required, SIPWAKE_HTTP_PORT: '' } }).http.port,
    ).toBe(8080);
  });

  it('rejects an unknown SIPWAKE_ variable by default', () => {
    const error = errorOf(() =>
      loadConfig(exampleSchema, { env: { ...required, SIPWAKE_BUS_URI: 'x' } }),
    );
    expect(error.code).toBe('CONFIG_UNKNOWN_KEY');
    expect(error.key).toBe('SIPWAKE_BUS_URI');
  });

  it('reports an unknown variable as a warning when told, and ignores other prefixes', () => {
    const warnings: ConfigError[] = [];
    const config = loadConfig(exampleSchema, {
      env: {
        ...required,
        SIPWAKE_BUS_URI: 'x',
        PATH: '/bin',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x',
      },
      unknownKeys: 'warn',
      onWarning: (warning) => warnings.push(warning),
    });
    expect(config.bus.url).toBe('nats://127.0.0.1:4222');
    expect(warnings.map((w) => [w.code, w.key])).toEqual([
      ['CONFIG_UNKNOWN_KEY', 'SIPWAKE_BUS_URI'],
    ]);
  });

  it('reads the YAML file named by SIPWAKE_CONFIG_FILE, over the defaults', () => {
    const file = yamlFile(
      'a.yaml',
      'bus:\n  url: nats://yaml:4222\n  requestTimeoutMs: 10s\ndb:\n  url: postgres://yaml\nshards: [4/2, c/2]\n',
    );
    const config = loadConfig(exampleSchema, { env: { SIPWAKE_CONFIG_FILE: file } });
    expect(config.bus).toEqual({ url: 'nats://yaml:4222', requestTimeoutMs: 10_000 });
    expect(config.db.url).toBe('postgres://yaml');
    expect(config.shards).toEqual(['4/2', 'c/2']);
    expect(config.http.port).toBe(8080);
  });

  it('reads a YAML string for a list as a comma-separated list', () => {
    const file = yamlFile('h.yaml', 'shards: 4/2, c/2\nports: "5060,5061"\n');
    const config = loadConfig(exampleSchema, { env: required, file });
    expect([config.shards, config.ports]).toEqual([
      ['4/2', 'c/2'],
      [5060, 5061],
    ]);
  });

  it('lets a variable override the file', () => {
    const file = yamlFile('b.yaml', 'http:\n  port: 9000\n  trustProxy: true\n');
    const config = loadConfig(exampleSchema, {
      env: { ...required, SIPWAKE_HTTP_PORT: '9001' },
      file,
    });
    expect(config.http).toEqual({ port: 9001, trustProxy: true });
  });

  it('names the YAML path of a bad file value', () => {
    const file = yamlFile('c.yaml', 'http:\n  port: eighty\n');
    const error = errorOf(() => loadConfig(exampleSchema, { env: required, file }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.key).toBe('c.yaml: http.port');
    const typed = yamlFile('d.yaml', 'http:\n  trustProxy: [1]\n');
    expect(errorOf(() => loadConfig(exampleSchema, { env: required, file: typed })).key).toBe(
      'd.yaml: http.trustProxy',
    );
  });

  it('rejects an unknown YAML key with its path', () => {
    const file = yamlFile('e.yaml', 'http:\n  prot: 80\n');
    const error = errorOf(() => loadConfig(exampleSchema, { env: required, file }));
    expect([error.code, error.key]).toEqual(['CONFIG_UNKNOWN_KEY', 'e.yaml: http.prot']);
  });

  it('stops on a missing or malformed file', () => {
    const missing = errorOf(() =>
      loadConfig(exampleSchema, { env: required, file: join(dir, 'none.yaml') }),
    );
    expect(missing.code).toBe('CONFIG_FILE_UNREADABLE');
    const broken = errorOf(() =>
      loadConfig(exampleSchema, { env: required, file: yamlFile('f.yaml', 'a: [1,\n') }),
    );
    expect(broken.code).toBe('CONFIG_FILE_INVALID');
    const list = errorOf(() =>
      loadConfig(exampleSchema, { env: required, file: yamlFile('g.yaml', '- 1\n') }),
    );
    expect(list.code).toBe('CONFIG_FILE_INVALID');
  });

  it('returns a deep-frozen object', () => {
    const config = loadConfig(exampleSchema, { env: required });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.bus)).toBe(true);
    expect(Object.isFrozen(config.shards)).toBe(true);
    expect(() => {
      (config.bus as { url: string }).url = 'x';
    }).toThrow(TypeError);
  });

  it('does not share default arrays between loads', () => {
    const a = loadConfig(exampleSchema, { env: required });
    const b = loadConfig(exampleSchema, { env: { ...required, SIPWAKE_SHARDS: '4/2' } });
    expect(a.shards).toEqual(['0/0']);
    expect(b.shards).toEqual(['4/2']);
    expect(exampleSchema.properties.shards.default).toEqual(['0/0']);
    expect(Object.isFrozen(exampleSchema.properties.shards.default)).toBe(false);
  });

  it('takes another prefix', () => {
    const config = loadConfig(exampleSchema, {
      env: { APP_DB_URL: 'postgres://x', SIPWAKE_X: '1' },
      prefix: 'APP_',
    });
    expect(config.db.url).toBe('postgres://x');
  });
});
