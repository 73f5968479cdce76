// The HTTP bodies as TypeBox schemas: fastify validates with them as plain JSON Schema, the
// OpenAPI document shows them, and `Static<>` gives the handlers their types.
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import {
  DevicePresence,
  InstanceMode,
  InstanceState,
  OneOf,
  PushProvider,
} from '@sipwake/contracts';

/** Text without NUL (the selector joins its parts with NUL). */
const Text = (maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[^\\x00]*$' });
/** A SIP or SIPS URI (RFC 3261 §19.1). */
const SipUri = Type.String({ minLength: 5, maxLength: 2048, pattern: '^sips?:[^\\s]+$' });

export const AccountBody = Type.Object(
  {
    username: Text(256),
    domain: Text(256),
    authUsername: Type.Optional(Text(256)),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    registrar: Type.Optional(SipUri),
    outboundProxy: Type.Optional(SipUri),
    transport: Type.Optional(
      Type.Union([Type.Literal('udp'), Type.Literal('tcp'), Type.Literal('tls')]),
    ),
    expiresSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 86_400 })),
  },
  { additionalProperties: false },
);

export const DeviceBody = Type.Object(
  {
    id: Text(256),
    appId: Text(256),
    platform: Text(64),
    pushProvider: OneOf(PushProvider),
    token: Text(4096),
    voipToken: Type.Optional(Text(4096)),
    topic: Type.Optional(Text(256)),
  },
  { additionalProperties: false },
);

/** A device put under its path id (`PUT …/devices/{deviceId}`). */
export const DevicePutBody = Type.Omit(DeviceBody, ['id'], { additionalProperties: false });
export type DevicePutBody = Static<typeof DevicePutBody>;

export const HandOverBody = Type.Object(
  {
    account: AccountBody,
    mode: Type.Optional(OneOf(InstanceMode)),
    device: DeviceBody,
  },
  { additionalProperties: false },
);
export type HandOverBody = Static<typeof HandOverBody>;

export const HandOverReply = Type.Object({
  selector: Type.String(),
  /** Shown once; only its hash is stored. A new hand-over replaces it. */
  instanceToken: Type.String(),
  sipHost: Type.String(),
  state: OneOf(InstanceState),
});
export type HandOverReply = Static<typeof HandOverReply>;

export const DeviceView = Type.Object({
  id: Type.String(),
  appId: Type.String(),
  platform: Type.String(),
  pushProvider: OneOf(PushProvider),
  presence: OneOf(DevicePresence),
  lastSeenAt: Type.Integer(),
});

export const InstanceView = Type.Object({
  selector: Type.String(),
  account: Type.Object({
    username: Type.String(),
    authUsername: Type.String(),
    domain: Type.String(),
    registrar: Type.Union([Type.String(), Type.Null()]),
    outboundProxy: Type.Union([Type.String(), Type.Null()]),
    transport: Type.String(),
    expiresSeconds: Type.Integer(),
  }),
  mode: OneOf(InstanceMode),
  state: OneOf(InstanceState),
  version: Type.Integer(),
  sipHost: Type.String(),
  devices: Type.Array(DeviceView),
});
export type InstanceView = Static<typeof InstanceView>;

export const SelectorParams = Type.Object({ selector: Type.String() });
export type SelectorParams = Static<typeof SelectorParams>;
export const DeviceParams = Type.Object({ selector: Type.String(), deviceId: Type.String() });
export type DeviceParams = Static<typeof DeviceParams>;

export const PresenceBody = Type.Object(
  { presence: OneOf(DevicePresence) },
  { additionalProperties: false },
);
export type PresenceBody = Static<typeof PresenceBody>;

export const ErrorBody = Type.Object({
  error: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
});

export const HealthReply = Type.Object({ status: Type.String() });

/** A SIP URI, or null to clear the setting. */
const SipUriOrNull = Type.Unsafe<string | null>({
  type: ['string', 'null'],
  minLength: SipUri.minLength,
  maxLength: SipUri.maxLength,
  pattern: SipUri.pattern,
});
const IdentityField = Type.Unknown({
  description: 'refused: the account identity (and so the selector) never changes',
});

/** `PATCH /v1/instances/{selector}`: what may change of an account; at least one field. */
export const AccountPatch = Type.Object(
  {
    password: Type.Optional(AccountBody.properties.password),
    registrar: Type.Optional(SipUriOrNull),
    outboundProxy: Type.Optional(SipUriOrNull),
    transport: AccountBody.properties.transport,
    expiresSeconds: AccountBody.properties.expiresSeconds,
    username: Type.Optional(IdentityField),
    authUsername: Type.Optional(IdentityField),
    domain: Type.Optional(IdentityField),
  },
  { additionalProperties: false },
);
export const InstancePatchBody = Type.Object(
  {
    account: Type.Optional(AccountPatch),
    mode: Type.Optional(OneOf(InstanceMode)),
  },
  { additionalProperties: false },
);
export type InstancePatchBody = Static<typeof InstancePatchBody>;

export const CallParams = Type.Object({ selector: Type.String(), callId: Type.String() });
export type CallParams = Static<typeof CallParams>;

/** `POST …/calls/{callId}/progress`: the device that is about to answer. */
export const ProgressBody = Type.Object({ deviceId: Text(256) }, { additionalProperties: false });
export type ProgressBody = Static<typeof ProgressBody>;

export const MAX_MESSAGES_PAGE = 100;
export const MessagesQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_MESSAGES_PAGE, default: 50 })),
});
export type MessagesQuery = Static<typeof MessagesQuery>;

export const MessageView = Type.Object({
  id: Type.String(),
  callId: Type.Union([Type.String(), Type.Null()]),
  from: Type.String(),
  to: Type.String(),
  contentType: Type.String(),
  /** The body's octets, standard base64. */
  body: Type.String(),
  /** The body as text when the content type is `text/*` and it is valid UTF-8, else null. */
  text: Type.Union([Type.String(), Type.Null()]),
  receivedAt: Type.Integer(),
});
export type MessageView = Static<typeof MessageView>;
export const MessagesReply = Type.Object({ messages: Type.Array(MessageView) });

const Uuid = Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
});
export const AckBody = Type.Object(
  { ids: Type.Array(Uuid, { minItems: 1, maxItems: MAX_MESSAGES_PAGE }) },
  { additionalProperties: false },
);
export type AckBody = Static<typeof AckBody>;
export const AckReply = Type.Object({
  /** How many were newly acknowledged (0 when all were already, or are not this instance's). */
  acknowledged: Type.Integer(),
});
