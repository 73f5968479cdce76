// `sw.state.expire` (queue state-persister): an agent deletes an instance nobody has heard from
// for the shard's max age, with its credentials, devices and state. The delete is conditional,
// so an app that spoke up meanwhile keeps its instance: the store deletes only when its row still
// has the agent's `version` and no device (nor the instance) was seen after `lastHeardAt`. The
// reply comes after COMMIT; a resend after a lost reply finds the row gone and answers `gone`.
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { EpochMs, OneOf, Selector, ShardName, Version } from './common.js';

/** What an expiry request did to the store. */
export const ExpireOutcome = {
  /** This request deleted the instance (committed). */
  Deleted: 'deleted',
  /** The instance was no longer stored (removed by the app, or an earlier request). */
  Gone: 'gone',
  /** The store has a newer version or newer activity: the instance stays (reload it). */
  Kept: 'kept',
} as const;
export type ExpireOutcome = (typeof ExpireOutcome)[keyof typeof ExpireOutcome];

export const ExpireInstance = Type.Object({
  shard: ShardName,
  selector: Selector,
  /** The instance version the agent holds: a newer version in the store keeps the instance. */
  version: Version,
  /** The newest activity the agent knows of: activity stored after it keeps the instance. */
  lastHeardAt: EpochMs,
});
export type ExpireInstance = Static<typeof ExpireInstance>;

export const ExpireAck = Type.Object({
  outcome: OneOf(ExpireOutcome),
});
export type ExpireAck = Static<typeof ExpireAck>;
