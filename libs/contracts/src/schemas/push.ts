// `sw.push` (queue push-notifier): a push to the devices of one instance; the reply is the
// outcome per device.
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { PushOutcome, PushProvider, PushType } from '../states.js';
import { Id, OneOf, Selector } from './common.js';

export const PushDevice = Type.Object({
  deviceId: Id,
  provider: OneOf(PushProvider),
  token: Type.String({ minLength: 1, maxLength: 4096 }),
  /** APNs VoIP (PushKit) token, used for call pushes when present. */
  voipToken: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  appId: Type.String({ minLength: 1, maxLength: 256 }),
  platform: Type.String({ minLength: 1, maxLength: 32 }),
  /** APNs topic (bundle id) when it is not the app id. */
  topic: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
});
export type PushDevice = Static<typeof PushDevice>;

export const PushRequest = Type.Object({
  type: OneOf(PushType),
  selector: Selector,
  /** The SIP Call-ID the push is about (absent for warnings and messages without a call). */
  callId: Type.Optional(Id),
  caller: Type.Optional(
    Type.Object({
      uri: Type.String({ minLength: 1, maxLength: 1024 }),
      displayName: Type.Optional(Type.String({ maxLength: 256 })),
    }),
  ),
  /** The SIP host the woken app registers to (`s-X.<host>` or the plain host). */
  host: Type.String({ minLength: 1, maxLength: 255 }),
  devices: Type.Array(PushDevice, { minItems: 1, maxItems: 64 }),
});
export type PushRequest = Static<typeof PushRequest>;

export const PushResult = Type.Object({
  deviceId: Id,
  outcome: OneOf(PushOutcome),
  /** When to try again (throttled, provider-error), from the provider's answer. */
  retryAfterMs: Type.Optional(Type.Integer({ minimum: 0 })),
  /** The provider's reason (`BadDeviceToken`, `UNREGISTERED`, …), for logs. */
  detail: Type.Optional(Type.String({ maxLength: 256 })),
});
export type PushResult = Static<typeof PushResult>;

export const PushResults = Type.Object({
  results: Type.Array(PushResult, { maxItems: 64 }),
});
export type PushResults = Static<typeof PushResults>;
