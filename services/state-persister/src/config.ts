// The service's settings, read by the sipwake process through @sipwake/config (SIPWAKE_* variables or YAML).
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';

export const configSchema = Type.Object({
  health: Type.Object({
    host: Type.String({
      default: '127.0.0.1',
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
