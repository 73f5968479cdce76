// A schema shaped like a service's: nested sections, every leaf type the loader reads.
import { Type } from '@sinclair/typebox';

export const exampleSchema = Type.Object({
  bus: Type.Object({
    url: Type.String({ default: 'nats://127.0.0.1:4222', description: 'NATS server URL' }),
    requestTimeoutMs: Type.Integer({
      minimum: 1,
      default: 2000,
      description: 'bus request timeout',
    }),
  }),
  db: Type.Object({
    url: Type.String({ minLength: 1, description: 'PostgreSQL connection string' }),
  }),
  http: Type.Object({
    port: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 8080,
      description: 'HTTP listen port',
    }),
    trustProxy: Type.Boolean({ default: false, description: 'trust X-Forwarded-For' }),
  }),
  prefixBits: Type.Number({ minimum: 0, default: 0, description: 'host prefix length' }),
  mode: Type.Union([Type.Literal('takeover'), Type.Literal('always')], {
    default: 'takeover',
    description: 'when sipwake registers',
  }),
  shards: Type.Array(Type.String(), { default: ['0/0'], description: 'owned prefixes' }),
  ports: Type.Array(Type.Integer(), { default: [], description: 'extra ports' }),
  adminToken: Type.Optional(Type.String({ minLength: 16, description: 'admin bearer token' })),
});
