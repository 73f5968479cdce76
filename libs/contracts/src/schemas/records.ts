// Durable records a registrar-agent writes through state-persister, one request each, answered
// only after COMMIT: a SIP MESSAGE kept until the app takes it (`sw.state.message`), a call's
// record (`sw.state.call-record`), a device token a push provider declared dead
// (`sw.state.dead-token`), and the new push token a woken app named in its device-side REGISTER
// (`sw.state.device-token`, RFC 8599). Each is idempotent by an id the sender chooses — the
// message `id`, the call's `(selector, callId)`, the device's `(selector, deviceId, token)`, the
// device's `(selector, deviceId, at)` — so a resend after a lost reply changes nothing.
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { PushProvider } from '../states.js';
import { Base64, EpochMs, Id, Nullable, OneOf, Selector } from './common.js';

/** Which way a call went through sipwake. */
export const CallDirection = {
  /** From upstream to the app (the wake-up path). */
  Inbound: 'inbound',
  /** From the app, through sipwake, to upstream. */
  Outbound: 'outbound',
} as const;
export type CallDirection = (typeof CallDirection)[keyof typeof CallDirection];

/** How a call ended, as an operator's call list shows it. */
export const CallOutcome = {
  Answered: 'answered',
  /** No device answered before T1/T2 ran out (480 upstream). */
  Missed: 'missed',
  /** The caller cancelled before an answer. */
  Cancelled: 'cancelled',
  /** CANCEL with `Reason: SIP;cause=200`: another phone of the user took it. */
  AnsweredElsewhere: 'answered-elsewhere',
  /** The device declined (486/603). */
  Rejected: 'rejected',
  /** Anything else that ended it (no route to the device, a 5xx). */
  Failed: 'failed',
} as const;
export type CallOutcome = (typeof CallOutcome)[keyof typeof CallOutcome];

/** Why a token is dead: the push outcome that said so. */
export const DeadTokenReason = {
  BadToken: 'bad-token',
  Unregistered: 'unregistered',
} as const;
export type DeadTokenReason = (typeof DeadTokenReason)[keyof typeof DeadTokenReason];

/** What a record request did to the store. */
export const RecordOutcome = {
  /** This request wrote it. */
  Written: 'written',
  /** Already stored (a resend, or the same id sent twice): nothing changed. */
  Duplicate: 'duplicate',
  /** What it names is no longer stored (instance removed, device gone or its token replaced). */
  Gone: 'gone',
} as const;
export type RecordOutcome = (typeof RecordOutcome)[keyof typeof RecordOutcome];

/** A UUID in lowercase hex: the id a sender gives a stored message. */
export const Uuid = Type.String({
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
});

const SipUriText = Type.String({ minLength: 1, maxLength: 1024 });

/** A SIP MESSAGE for an instance, kept until the app fetches and acknowledges it. */
export const StoreMessage = Type.Object({
  /** Chosen by the sender (e.g. derived from Call-ID and CSeq, so a retransmission dedupes). */
  id: Uuid,
  selector: Selector,
  /** The MESSAGE's Call-ID, when the sender keeps it. */
  callId: Type.Optional(Id),
  from: SipUriText,
  to: SipUriText,
  contentType: Type.String({ minLength: 1, maxLength: 256 }),
  /** The body's octets, standard base64. */
  body: Base64,
  receivedAt: EpochMs,
});
export type StoreMessage = Static<typeof StoreMessage>;

/** One call's record, written once when the call is over. */
export const CallRecord = Type.Object({
  selector: Selector,
  /** The Call-ID of the call's INVITE: with the selector, the record's id. */
  callId: Id,
  direction: OneOf(CallDirection),
  /** The caller's URI (From), when known. */
  caller: Nullable(SipUriText),
  startedAt: EpochMs,
  answeredAt: Nullable(EpochMs),
  endedAt: Nullable(EpochMs),
  outcome: OneOf(CallOutcome),
  /** The last `X-Sipwake-Push-Status` the call reached, when it needed a push. */
  pushStatus: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
});
export type CallRecord = Static<typeof CallRecord>;

/** A push provider said this device's token is dead: push it no more until the app sends a new one. */
export const DeadToken = Type.Object({
  selector: Selector,
  deviceId: Id,
  /** The token that was refused: a device whose token changed meanwhile is left alone. */
  token: Type.String({ minLength: 1, maxLength: 4096 }),
  reason: OneOf(DeadTokenReason),
});
export type DeadToken = Static<typeof DeadToken>;

const PushToken = Type.String({ minLength: 1, maxLength: 4096 });

/**
 * RFC 8599: a woken app REGISTERed on the device side with `pn-*` contact parameters naming a
 * token the device did not hold. The device's push data after that REGISTER: `token` its push
 * token (for APNs the `pn-prid` unless `pn-param` ends in `.voip`; for FCM the registration
 * token), `voipToken` its APNs VoIP token when the REGISTER named one (absent: unchanged). The
 * store takes it only when its device row is older than `at`, so a resend changes nothing and a
 * newer write (the app through the API) wins. A new token clears a dead-token mark.
 */
export const DeviceToken = Type.Object({
  selector: Selector,
  deviceId: Id,
  /** The device's provider: a device of another provider is left alone (`gone`). */
  provider: OneOf(PushProvider),
  token: PushToken,
  voipToken: Type.Optional(PushToken),
  /** When the agent took the REGISTER (epoch ms): the write's version. */
  at: EpochMs,
});
export type DeviceToken = Static<typeof DeviceToken>;

/** The answer to a record request, sent only after COMMIT (or when nothing had to change). */
export const RecordAck = Type.Object({
  outcome: OneOf(RecordOutcome),
});
export type RecordAck = Static<typeof RecordAck>;
