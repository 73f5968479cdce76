// The service's settings, read by main.ts through @sipwake/config (SIPWAKE_* variables or YAML).
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';

export const configSchema = Type.Object({
  bus: Type.Object({
    url: Type.String({ default: 'nats://127.0.0.1:4222', description: 'NATS server URL' }),
  }),
  database: Type.Object({
    url: Type.String({
      default: 'postgres://postgres@127.0.0.1:5432/postgres',
      description: 'PostgreSQL connection URL',
    }),
    startRetryMaxMs: Type.Integer({
      minimum: 100,
      maximum: 600_000,
      default: 10_000,
      description: 'longest wait between start-up attempts while PostgreSQL is unreachable',
    }),
  }),
  health: Type.Object({
    host: Type.String({
      default: '0.0.0.0',
      description: 'address the /healthz, /readyz and /metrics server binds',
    }),
    port: Type.Integer({
      minimum: 0,
      maximum: 65_535,
      default: 9466,
      description: 'port of the /healthz, /readyz and /metrics server',
    }),
    dbPingTimeoutMs: Type.Integer({
      minimum: 50,
      maximum: 60_000,
      default: 2000,
      description: 'how long /readyz waits for PostgreSQL before it counts as down',
    }),
  }),

  log: Type.Object({
    level: Type.Union(
      [
        Type.Literal('trace'),
        Type.Literal('debug'),
        Type.Literal('info'),
        Type.Literal('warn'),
        Type.Literal('error'),
        Type.Literal('fatal'),
      ],
      { default: 'info', description: 'log level' },
    ),
  }),
  load: Type.Object({
    maxPageInstances: Type.Integer({
      minimum: 1,
      maximum: 10_000,
      default: 500,
      description: 'most instances in one load page (keeps a page under the bus payload bound)',
    }),
  }),
});
export type StatePersisterConfig = Static<typeof configSchema>;
