// The admin API's query and answers as TypeBox schemas (JSON Schema for fastify and OpenAPI).
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { InstanceMode, InstanceState, Nullable, OneOf } from '@sipwake/contracts';

export const MAX_PAGE_LIMIT = 1000;
export const DEFAULT_PAGE_LIMIT = 100;

export const AdminInstancesQuery = Type.Object({
  /** `HEX/BITS` (or `HEX`); checked by parsePrefix, so a bad one is a 400 naming `prefix`. */
  prefix: Type.Optional(Type.String({ maxLength: 64 })),
  state: Type.Optional(OneOf(InstanceState)),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT }),
  ),
  /** The `nextCursor` of the previous page. */
  cursor: Type.Optional(Type.String({ pattern: '^[0-9a-f]{40}$' })),
});
export type AdminInstancesQuery = Static<typeof AdminInstancesQuery>;

export const AdminInstance = Type.Object({
  selector: Type.String(),
  username: Type.String(),
  authUsername: Type.String(),
  domain: Type.String(),
  mode: OneOf(InstanceMode),
  /** The registration's status once an agent checkpointed one, else the instance's own state. */
  state: OneOf(InstanceState),
  version: Type.Integer(),
  devices: Type.Integer(),
  shard: Nullable(Type.String()),
  lastCode: Nullable(Type.Integer()),
  expiresAt: Nullable(Type.Integer()),
  updatedAt: Type.Integer(),
});
export type AdminInstance = Static<typeof AdminInstance>;

export const AdminInstancesReply = Type.Object({
  instances: Type.Array(AdminInstance),
  nextCursor: Nullable(Type.String()),
});

const StateCountsSchema = Type.Object(
  Object.fromEntries(Object.values(InstanceState).map((s) => [s, Type.Integer()])),
);

export const AdminStatsReply = Type.Object({
  total: Type.Integer(),
  states: StateCountsSchema,
  /** The active shard map's version, or null when none is stored (one row for `0/0`). */
  shardMapVersion: Nullable(Type.Integer()),
  shards: Type.Array(
    Type.Object({
      shard: Nullable(Type.String()),
      prefixes: Type.Array(Type.String()),
      instances: Type.Integer(),
      states: StateCountsSchema,
    }),
  ),
});
export type AdminStatsReply = Static<typeof AdminStatsReply>;
