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
