// `sw.control.*`: what every process hears about the shards.
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ShardStatus } from '../states.js';
import { EpochMs, OneOf, PrefixText, ShardName, Version } from './common.js';

/** `sw.control.shard-map`: the shard map has a new version (every prefix covered once). */
export const ShardMapChanged = Type.Object({
  version: Version,
  shards: Type.Array(
    Type.Object({
      shard: ShardName,
      prefixes: Type.Array(PrefixText, { maxItems: 256 }),
    }),
    { maxItems: 1024 },
  ),
});
export type ShardMapChanged = Static<typeof ShardMapChanged>;

/** `sw.control.heartbeat.<shard>`: a shard is alive and holds its lease on its prefixes. */
export const Heartbeat = Type.Object({
  shard: ShardName,
  status: OneOf(ShardStatus),
  prefixes: Type.Array(PrefixText, { maxItems: 256 }),
  instances: Type.Integer({ minimum: 0 }),
  at: EpochMs,
  /** How long the lease lasts without another heartbeat. */
  leaseMs: Type.Integer({ minimum: 1 }),
});
export type Heartbeat = Static<typeof Heartbeat>;

/** `sw.control.drain.<shard>`: stop taking new work and hand the prefixes over. */
export const Drain = Type.Object({
  shard: ShardName,
  reason: Type.String({ maxLength: 256 }),
  at: EpochMs,
});
export type Drain = Static<typeof Drain>;
