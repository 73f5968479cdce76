// What reaches the owning agent on `sw.shard.<d0>.<d1>.*`.
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { DevicePresence } from '../states.js';
import {
  Base64,
  Endpoint,
  EpochMs,
  Id,
  Nullable,
  OneOf,
  RouterId,
  Selector,
  ShardName,
  TransportProtocol,
  Version,
} from './common.js';

/** `sw.shard.<d0>.<d1>.instance`: registration-api wrote an instance (read it from the store). */
export const InstanceChange = Type.Object({
  change: Type.Union([Type.Literal('created'), Type.Literal('changed'), Type.Literal('removed')]),
  selector: Selector,
  /** The instance row's version after the change. */
  version: Version,
});
export type InstanceChange = Static<typeof InstanceChange>;

export const DevicePresenceEvent = Type.Object({
  type: Type.Literal('presence'),
  selector: Selector,
  deviceId: Id,
  presence: OneOf(DevicePresence),
  at: EpochMs,
});
export type DevicePresenceEvent = Static<typeof DevicePresenceEvent>;

export const AboutToAnswerEvent = Type.Object({
  type: Type.Literal('about-to-answer'),
  selector: Selector,
  deviceId: Id,
  callId: Id,
  at: EpochMs,
});
export type AboutToAnswerEvent = Static<typeof AboutToAnswerEvent>;

/** `sw.shard.<d0>.<d1>.device`: a device came to the foreground/background or will answer. */
export const DeviceEvent = Type.Union([DevicePresenceEvent, AboutToAnswerEvent]);
export type DeviceEvent = Static<typeof DeviceEvent>;

/** `sw.shard.<d0>.<d1>.sip`: a SIP message a router received, with its transport facts. */
export const SipForward = Type.Object({
  selector: Selector,
  /** The message's octets as received, base64. */
  message: Base64,
  transport: Type.Object({
    protocol: TransportProtocol,
    source: Endpoint,
    local: Endpoint,
    /** The stream connection it came on (answers and requests to the device go back on it). */
    connectionId: Nullable(Id),
  }),
  routerId: RouterId,
  receivedAt: EpochMs,
});
export type SipForward = Static<typeof SipForward>;

/**
 * The reply to a `SipForward` sent as a request (an out-of-dialog request): the owning shard has
 * the message. A router that gets no responders instead answers 503 with Retry-After.
 */
export const SipForwardAck = Type.Object({
  accepted: Type.Literal(true),
  /** The shard that took it, for the router's logs. */
  shard: Type.Optional(ShardName),
});
export type SipForwardAck = Static<typeof SipForwardAck>;
