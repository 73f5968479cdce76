// The words operators and apps know, as `as const` objects with their union types.

/** Instance states, as operators of the commercial system know them (DESIGN.md). */
export const InstanceState = {
  /** A device is in the foreground: sipwake holds no upstream binding (mode `takeover`). */
  Idle: 'idle',
  /** A REGISTER is under way (first one, refresh after a failure, or after start-up). */
  Registering: 'registering',
  /** The upstream binding is live. */
  Registered: 'registered',
  /** The registrar refused the credentials (401/403 after authenticating). */
  Unauthorized: 'unauthorized',
  /** Any other lasting failure (unreachable registrar, 4xx/5xx/6xx that back-off keeps seeing). */
  Error: 'error',
} as const;
export type InstanceState = (typeof InstanceState)[keyof typeof InstanceState];

/** How sipwake holds the upstream binding (DESIGN.md "What the app sees"). */
export const InstanceMode = {
  /** The default: only while no device has been in the foreground for the takeover delay. */
  Takeover: 'takeover',
  /** Always (a mid-registrar): the app talks SIP only to sipwake. */
  Always: 'always',
} as const;
export type InstanceMode = (typeof InstanceMode)[keyof typeof InstanceMode];

export const DevicePresence = {
  Foreground: 'foreground',
  Background: 'background',
} as const;
export type DevicePresence = (typeof DevicePresence)[keyof typeof DevicePresence];

export const PushProvider = {
  Apns: 'apns',
  Fcm: 'fcm',
} as const;
export type PushProvider = (typeof PushProvider)[keyof typeof PushProvider];

export const PushType = {
  /** An incoming call: wake the app now (APNs VoIP push, FCM high-priority data message). */
  Call: 'call',
  Message: 'message',
  /** Something needs the user (the account is about to stop working, credentials refused). */
  Warning: 'warning',
  MissedCall: 'missed-call',
  AnsweredElsewhere: 'answered-elsewhere',
  /** The instance has ended (its hand-over expired): the app must hand over again. */
  Expired: 'expired',
} as const;
export type PushType = (typeof PushType)[keyof typeof PushType];

/** What a push provider's answer means to the agent (parsed once, in push-notifier). */
export const PushOutcome = {
  Sent: 'sent',
  /** The token is malformed or for another app/topic: drop it. */
  BadToken: 'bad-token',
  /** The app was removed or the token expired: drop the device's token. */
  Unregistered: 'unregistered',
  /** The provider asks to slow down: retry after `retryAfterMs`. */
  Throttled: 'throttled',
  /** The provider failed (5xx, unreachable, auth): retry after `retryAfterMs` when given. */
  ProviderError: 'provider-error',
} as const;
export type PushOutcome = (typeof PushOutcome)[keyof typeof PushOutcome];

/** A shard's own account of where it is in its life, carried in heartbeats. */
export const ShardStatus = {
  Starting: 'starting',
  Active: 'active',
  Draining: 'draining',
} as const;
export type ShardStatus = (typeof ShardStatus)[keyof typeof ShardStatus];
