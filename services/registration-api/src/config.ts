// The service's settings, read by main.ts through @sipwake/config (SIPWAKE_* variables or YAML).
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';

export const configSchema = Type.Object({
  listen: Type.Object({
    host: Type.String({ default: '127.0.0.1', description: 'address the HTTP server listens on' }),
    port: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 8080,
      description: 'port the HTTP server listens on',
    }),
  }),
  api: Type.Object({
    tls: Type.Object({
      certFile: Type.String({
        default: '',
        description: 'PEM certificate chain for HTTPS; with the key file, or neither (plain HTTP)',
      }),
      keyFile: Type.String({
        default: '',
        description: 'PEM private key of that certificate',
      }),
    }),
  }),
  bus: Type.Object({
    url: Type.String({ default: 'nats://127.0.0.1:4222', description: 'NATS server URL' }),
  }),
  database: Type.Object({
    url: Type.String({
      default: 'postgres://postgres@127.0.0.1:5432/postgres',
      description: 'PostgreSQL connection URL',
    }),
  }),
  keys: Type.Object({
    file: Type.String({
      default: '/etc/sipwake/keys.json',
      description: 'key file sealing SIP passwords (@sipwake/secrets)',
    }),
  }),
  sip: Type.Object({
    domain: Type.String({
      minLength: 1,
      default: 'sip.example.net',
      description: 'SIP host the devices use',
    }),
    hostPrefixLength: Type.Integer({
      minimum: 0,
      maximum: 40,
      default: 0,
      description: 'selector digits in the SIP host (s-X.domain); 0 = the plain domain',
    }),
  }),
  admin: Type.Object({
    token: Type.String({
      default: '',
      // Empty, or at least 16 printable characters: a short admin token is guessable.
      pattern: '^(|[\\x21-\\x7e]{16,})$',
      description: 'admin bearer token (16+ characters); empty: no admin API (404)',
    }),
  }),
  rateLimit: Type.Object({
    perMinute: Type.Integer({
      minimum: 1,
      default: 120,
      description: 'requests per minute per client address',
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
export type RegistrationApiConfig = Static<typeof configSchema>;
