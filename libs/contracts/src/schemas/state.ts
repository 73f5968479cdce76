// state-persister's subjects: `sw.state.checkpoint` (batched state, reply after commit) and
// `sw.state.load` (the instances of a prefix set, paged).
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { DevicePresence, InstanceMode, InstanceState, PushProvider } from '../states.js';
import {
  EpochMs,
  Id,
  Nullable,
  OneOf,
  PrefixText,
  Selector,
  ShardName,
  TransportProtocol,
  Version,
} from './common.js';

/** One instance's upstream registration state (DESIGN.md "Durability and failure"). */
export const CheckpointRow = Type.Object({
  selector: Selector,
  status: OneOf(InstanceState),
  /** The REGISTER Call-ID, kept so a restarted shard continues the same binding. */
  callId: Nullable(Id),
  /** RFC 3261 §8.1.1.5: the CSeq sequence number is below 2**31. */
  cseq: Nullable(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
  /** When the granted binding expires. */
  expiresAt: Nullable(EpochMs),
  /** The last final response code from upstream, and when it came. */
  lastCode: Nullable(Type.Integer({ minimum: 100, maximum: 699 })),
  lastAt: Nullable(EpochMs),
  /** The agent's version of this state: the store keeps a row only if it is newer. */
  version: Version,
});
export type CheckpointRow = Static<typeof CheckpointRow>;

export const CheckpointBatch = Type.Object({
  shard: ShardName,
  /** Unique per batch: a resent batch keeps its id (and its rows' versions). */
  batchId: Id,
  rows: Type.Array(CheckpointRow, { minItems: 1, maxItems: 10_000 }),
});
export type CheckpointBatch = Static<typeof CheckpointBatch>;

/** Sent only after the batch's transaction committed. */
export const CheckpointAck = Type.Object({
  batchId: Id,
  /** Rows the batch held (written, or already as new in the store). */
  committed: Type.Integer({ minimum: 0 }),
});
export type CheckpointAck = Static<typeof CheckpointAck>;

export const LoadRequest = Type.Object({
  prefixes: Type.Array(PrefixText, { minItems: 1, maxItems: 256 }),
  /** The previous page's `nextCursor`; absent for the first page. */
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  limit: Type.Integer({ minimum: 1, maximum: 10_000 }),
});
export type LoadRequest = Static<typeof LoadRequest>;

export const InstanceDevice = Type.Object({
  deviceId: Id,
  appId: Type.String({ minLength: 1, maxLength: 256 }),
  platform: Type.String({ minLength: 1, maxLength: 32 }),
  provider: OneOf(PushProvider),
  token: Type.String({ minLength: 1, maxLength: 4096 }),
  voipToken: Nullable(Type.String({ minLength: 1, maxLength: 4096 })),
  topic: Nullable(Type.String({ minLength: 1, maxLength: 256 })),
  presence: OneOf(DevicePresence),
  lastSeenAt: Nullable(EpochMs),
  /**
   * A push provider declared the device's token dead (`sw.state.dead-token`) and the app has not
   * sent a new one since: push it no more. The device still registers when the app wakes by
   * itself. Absent means false (state-persister always sends it).
   */
  tokenDead: Type.Optional(Type.Boolean()),
});
export type InstanceDevice = Static<typeof InstanceDevice>;

/** One instance as a shard loads it. The password stays sealed: only the agent opens it. */
export const LoadedInstance = Type.Object({
  selector: Selector,
  version: Version,
  mode: OneOf(InstanceMode),
  account: Type.Object({
    username: Type.String({ minLength: 1, maxLength: 256 }),
    authUsername: Type.String({ minLength: 1, maxLength: 256 }),
    domain: Type.String({ minLength: 1, maxLength: 255 }),
    registrar: Nullable(Type.String({ minLength: 1, maxLength: 1024 })),
    outboundProxy: Nullable(Type.String({ minLength: 1, maxLength: 1024 })),
    transport: Nullable(TransportProtocol),
    expiresSeconds: Nullable(Type.Integer({ minimum: 1 })),
    /** The password as `@sipwake/secrets` sealed it (key id + AES-256-GCM ciphertext). */
    passwordSealed: Type.String({ minLength: 1, maxLength: 4096 }),
  }),
  devices: Type.Array(InstanceDevice, { maxItems: 64 }),
  /**
   * When the app last spoke for the instance (`instances.last_seen_at`: hand-over, presence), or
   * null if never; expiry counts from the newest of it and the devices' `lastSeenAt`. Absent from
   * senders that predate it; state-persister always sends it.
   */
  lastSeenAt: Type.Optional(Nullable(EpochMs)),
  /** The last checkpointed upstream state, or null when the instance never registered. */
  registration: Nullable(CheckpointRow),
});
export type LoadedInstance = Static<typeof LoadedInstance>;

export const LoadPage = Type.Object({
  instances: Type.Array(LoadedInstance),
  /** Pass it back for the next page; null on the last one. */
  nextCursor: Nullable(Type.String({ minLength: 1, maxLength: 256 })),
});
export type LoadPage = Static<typeof LoadPage>;
