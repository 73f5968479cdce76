import { Type } from '@sinclair/typebox';
import { configTableDifferences, describeConfig, formatConfigTable } from './describe.js';
import { ConfigError } from './errors.js';
import { toEnvSegment } from './keys.js';
import { exampleSchema } from './test-support/schema.js';

describe('describeConfig', () => {
  it('lists every setting with its variable, YAML key, default and meaning', () => {
    const rows = describeConfig(exampleSchema);
    expect(rows.map((r) => [r.name, r.key, r.default, r.required])).toEqual([
      ['SIPWAKE_BUS_URL', 'bus.url', 'nats://127.0.0.1:4222', false],
      ['SIPWAKE_BUS_REQUEST_TIMEOUT_MS', 'bus.requestTimeoutMs', '2000', false],
      ['SIPWAKE_DB_URL', 'db.url', '', true],
      ['SIPWAKE_HTTP_PORT', 'http.port', '8080', false],
      ['SIPWAKE_HTTP_TRUST_PROXY', 'http.trustProxy', 'false', false],
      ['SIPWAKE_PREFIX_BITS', 'prefixBits', '0', false],
      ['SIPWAKE_MODE', 'mode', 'takeover', false],
      ['SIPWAKE_SHARDS', 'shards', '0/0', false],
      ['SIPWAKE_PORTS', 'ports', '', false],
      ['SIPWAKE_ADMIN_TOKEN', 'adminToken', '', false],
    ]);
    expect(rows[0]?.meaning).toBe('NATS server URL');
  });

  it('formats the README table, required keys marked', () => {
    const table = formatConfigTable(exampleSchema).split('\n');
    expect(table[0]).toBe('| name | default | meaning |');
    expect(table[2]).toMatch(/^\| `SIPWAKE_CONFIG_FILE` \|/);
    expect(table).toContain('| `SIPWAKE_BUS_URL` | `nats://127.0.0.1:4222` | NATS server URL |');
    expect(table).toContain('| `SIPWAKE_DB_URL` | (required) | PostgreSQL connection string |');
    expect(table).toContain('| `SIPWAKE_ADMIN_TOKEN` |  | admin bearer token |');
  });

  it('writes key segments in upper snake case', () => {
    expect(
      ['url', 'requestTimeoutMs', 'maxBatchRows', 'httpURLPath', 'tls-cert'].map(toEnvSegment),
    ).toEqual(['URL', 'REQUEST_TIMEOUT_MS', 'MAX_BATCH_ROWS', 'HTTP_URL_PATH', 'TLS_CERT']);
  });

  it('refuses a schema where two keys share a variable', () => {
    const schema = Type.Object({ busUrl: Type.String(), bus: Type.Object({ url: Type.String() }) });
    expect(() => describeConfig(schema)).toThrow(ConfigError);
    expect(() => describeConfig(schema)).toThrow(
      'SIPWAKE_BUS_URL: keys busUrl and bus.url share one variable name',
    );
  });

  it('finds no difference between the generated table, padded by Prettier, and the schema', () => {
    const padded = formatConfigTable(exampleSchema)
      .split('\n')
      .map((line) => line.replace(/ \| /g, '   |   '))
      .join('\n');
    expect(configTableDifferences(`# Service\n\n${padded}\n`, exampleSchema)).toEqual([]);
  });

  it('names the rows of a README table that drifted from the schema', () => {
    const lines = formatConfigTable(exampleSchema)
      .split('\n')
      .filter((line) => !line.includes('SIPWAKE_PORTS'))
      .map((line) => line.replace('| `8080` |', '| `8081` |'));
    lines.push('| `SIPWAKE_OLD_SETTING` | `1` | removed |');
    expect(configTableDifferences(lines.join('\n'), exampleSchema)).toEqual([
      'SIPWAKE_HTTP_PORT: the table says "`SIPWAKE_HTTP_PORT` | `8081` | HTTP listen port", the schema "`SIPWAKE_HTTP_PORT` | `8080` | HTTP listen port"',
      'SIPWAKE_PORTS: missing from the table',
      'SIPWAKE_OLD_SETTING: in the table, not in the schema',
    ]);
  });
});
