// The service's settings, read by the sipwake process through @sipwake/config (SIPWAKE_* variables or YAML).
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { sharedSipSettings } from '@sipwake/contracts';

export const configSchema = Type.Object({
  api: Type.Object({
    host: Type.String({ default: '127.0.0.1', description: 'address the HTTP server listens on' }),
    port: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 8080,
      description: 'port the HTTP server listens on',
    }),
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
  sip: Type.Object({
    host: sharedSipSettings.host,
    hostPrefixLength: sharedSipSettings.hostPrefixLength,
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
});
export type RegistrationApiConfig = Static<typeof configSchema>;
