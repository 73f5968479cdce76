// The settings a sipwake process reads for what its services share (bus, database, keys,
// logs). Each service reads its own settings beside these, from the same environment.
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';

export const runConfigSchema = Type.Object({
  nats: Type.Object({
    url: Type.String({
      default: '',
      description:
        'NATS server URL(s), comma-separated; empty = the in-process bus (every service in one process)',
    }),
  }),
  database: Type.Object({
    url: Type.String({
      default: '',
      description: 'PostgreSQL connection URL; empty = embedded PostgreSQL (PGlite) in data.dir',
    }),
    startRetryMaxMs: Type.Integer({
      minimum: 100,
      maximum: 600_000,
      default: 10_000,
      description: 'longest wait between start-up attempts while PostgreSQL is unreachable',
    }),
  }),
  data: Type.Object({
    dir: Type.String({
      minLength: 1,
      default: '.sipwake',
      description: 'folder of the embedded database and the generated key file',
    }),
  }),
  keys: Type.Object({
    file: Type.String({
      default: '',
      description:
        'key file sealing SIP passwords (sipwake keys generate); empty = data.dir/keys.json, made on first start',
    }),
  }),
  metrics: Type.Object({
    port: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 9464,
      description: 'Prometheus `/metrics` port of the process (0 = none)',
    }),
    host: Type.String({
      minLength: 1,
      default: '127.0.0.1',
      description: 'address the metrics port binds (`0.0.0.0` to scrape from other machines)',
    }),
  }),
  tracing: Type.Object({
    sampleRatio: Type.Number({
      minimum: 0,
      maximum: 1,
      default: 0.1,
      description: 'ratio of new traces sampled (OTEL_EXPORTER_OTLP_ENDPOINT names the collector)',
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
});
export type RunConfig = Static<typeof runConfigSchema>;
