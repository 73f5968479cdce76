// The service's settings, read by the sipwake process through @sipwake/config (SIPWAKE_* variables or YAML).
// A provider whose key file is left empty is off: its devices get `provider-error`.
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';

const file = (description: string) => Type.String({ default: '', description });

export const configSchema = Type.Object({
  apns: Type.Object({
    baseUrl: Type.String({
      default: 'https://api.push.apple.com',
      pattern: '^https://',
      description: 'APNs base URL (sandbox: `https://api.sandbox.push.apple.com`)',
    }),
    keyFile: file('the APNs signing key (.p8, EC P-256 PKCS#8 PEM); empty: APNs off'),
    keyId: Type.String({ default: '', description: 'the key id of the .p8 key (JWT `kid`)' }),
    teamId: Type.String({ default: '', description: 'the Apple team id (JWT `iss`)' }),
    caFile: file('CA certificates (PEM) to trust instead of the system ones (tests)'),
    tokenRefreshMs: Type.Integer({
      minimum: 1_200_000,
      maximum: 3_540_000,
      default: 3_000_000,
      description: 'age at which a new provider token is signed (APNs: 20–60 min)',
    }),
    maxConcurrent: Type.Integer({
      minimum: 1,
      maximum: 1000,
      default: 500,
      description: 'most APNs pushes in flight (streams on the one connection)',
    }),
  }),
  fcm: Type.Object({
    baseUrl: Type.String({
      default: 'https://fcm.googleapis.com',
      pattern: '^https://',
      description: 'FCM HTTP v1 base URL',
    }),
    serviceAccountFile: file('the Firebase service-account JSON key file; empty: FCM off'),
    tokenUri: Type.String({
      default: '',
      description: "OAuth2 token URI instead of the service account's `token_uri`",
    }),
    caFile: file('CA certificates (PEM) to trust instead of the system ones (tests)'),
    maxConcurrent: Type.Integer({
      minimum: 1,
      maximum: 1000,
      default: 200,
      description: 'most FCM sends in flight',
    }),
  }),
  push: Type.Object({
    deadlineMs: Type.Integer({
      minimum: 100,
      default: 10_000,
      description: 'time a push request may take, retries included',
    }),
    requestTimeoutMs: Type.Integer({
      minimum: 100,
      default: 5000,
      description: 'wait for one provider answer',
    }),
    retryBaseDelayMs: Type.Integer({
      minimum: 1,
      default: 200,
      description: 'first back-off before a retry (doubles, full jitter)',
    }),
    retryMaxDelayMs: Type.Integer({
      minimum: 1,
      default: 5000,
      description: 'longest back-off before a retry',
    }),
    maxAttempts: Type.Integer({
      minimum: 1,
      maximum: 20,
      default: 5,
      description: 'most sends of one push (first one included)',
    }),
    callTtlMs: Type.Integer({
      minimum: 0,
      default: 30_000,
      description: 'how long a call push may wait at the provider (`apns-expiration`, FCM `ttl`)',
    }),
    alertTtlMs: Type.Integer({
      minimum: 0,
      default: 86_400_000,
      description: 'how long any other push may wait at the provider',
    }),
  }),
  templates: Type.Object({
    file: file(
      'JSON map appId (or `*`) → push type → `{title, body}` with `{caller}` placeholders',
    ),
  }),
});
export type PushNotifierConfig = Static<typeof configSchema>;
