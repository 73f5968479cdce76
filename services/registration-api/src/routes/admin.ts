// The operator's admin API behind the admin bearer token: instances of a prefix, a page at a
// time, and counts per state and per shard. Not registered at all when no admin token is
// configured, so those paths answer the same 404 as any unknown route.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkMessage, ContractError, parsePrefix, ShardMapChanged } from '@sipwake/contracts';
import { prefixRange } from '@sipwake/db';
import type { SelectorRange } from '@sipwake/db';
import {
  AdminInstancesQuery,
  AdminInstancesReply,
  AdminStatsReply,
  DEFAULT_PAGE_LIMIT,
} from '../admin-schemas.js';
import type { AdminInstance } from '../admin-schemas.js';
import {
  activeShardMap,
  countByRange,
  countByState,
  listInstances,
  zeroCounts,
} from '../admin-store.js';
import type { AdminInstanceRow, StateCounts } from '../admin-store.js';
import { ApiError, ApiErrorCode } from '../errors.js';
import { ErrorBody } from '../schemas.js';
import { adminTokenMatches, bearerCredentials } from '../token.js';
import type { ApiLog, BuildApiOptions } from '../types.js';

export const ADMIN_UNAUTHORIZED_MESSAGE = 'a valid admin token is required';
const WHOLE_SPACE = '0/0';
const security = [{ adminToken: [] }];

/** The selector range of a `prefix` query parameter; a 400 naming `prefix` when it is bad. */
export function rangeOfPrefix(text: string | undefined): SelectorRange {
  if (text === undefined) return prefixRange('', 0);
  try {
    const prefix = parsePrefix(text);
    return prefixRange(prefix.hex, prefix.bits);
  } catch (error) {
    if (error instanceof ContractError) {
      throw new ApiError(ApiErrorCode.InvalidQuery, 'prefix must be HEX/BITS, e.g. 4/2', {
        field: 'prefix',
      });
    }
    throw error;
  }
}

function adminInstance(row: AdminInstanceRow): AdminInstance {
  return {
    selector: row.selector,
    username: row.username,
    authUsername: row.auth_username,
    domain: row.domain,
    mode: row.mode,
    state: row.state,
    version: Number(row.version),
    devices: Number(row.devices),
    shard: row.shard,
    lastCode: row.last_code,
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at).getTime(),
    updatedAt: new Date(row.updated_at).getTime(),
  };
}

function sum(into: StateCounts, from: StateCounts): void {
  for (const key of Object.keys(into) as (keyof StateCounts)[]) into[key] += from[key];
}

const total = (counts: StateCounts): number => Object.values(counts).reduce((a, b) => a + b, 0);

/** The active map's shards, or undefined (logged) when none is stored or it cannot be read. */
async function shardsOfMap(
  options: BuildApiOptions,
  log: ApiLog,
): Promise<{ version: number; shards: ShardMapChanged['shards'] } | undefined> {
  const map = await activeShardMap(options.db);
  if (map === undefined) return undefined;
  try {
    const shards = checkMessage(ShardMapChanged.properties.shards, map.shards);
    for (const entry of shards) for (const p of entry.prefixes) parsePrefix(p);
    return { version: map.version, shards };
  } catch (error) {
    log.warn({ err: error, version: map.version }, 'the active shard map cannot be read');
    return undefined;
  }
}

export function adminRoutes(app: FastifyInstance, options: BuildApiOptions): void {
  const adminToken = options.config.adminToken ?? '';
  if (adminToken.length === 0) return;
  const { db, log } = options;
  const guard = async (request: FastifyRequest): Promise<void> => {
    if (!adminTokenMatches(bearerCredentials(request.headers.authorization), adminToken)) {
      throw new ApiError(ApiErrorCode.Unauthorized, ADMIN_UNAUTHORIZED_MESSAGE);
    }
  };

  app.get<{ Querystring: AdminInstancesQuery }>(
    '/v1/admin/instances',
    {
      preValidation: guard,
      schema: {
        summary: 'Instances of a prefix (and state), in selector order, a page at a time',
        security,
        querystring: AdminInstancesQuery,
        response: { 200: AdminInstancesReply, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => {
      const { prefix, state, limit, cursor } = request.query;
      const { rows, nextCursor } = await listInstances(db, {
        range: rangeOfPrefix(prefix),
        state,
        limit: limit ?? DEFAULT_PAGE_LIMIT,
        after: cursor,
      });
      return { instances: rows.map(adminInstance), nextCursor };
    },
  );

  app.get(
    '/v1/admin/stats',
    {
      preValidation: guard,
      schema: {
        summary: 'Instances per state, and per shard of the active shard map',
        security,
        response: { 200: AdminStatsReply, 401: ErrorBody },
      },
    },
    async (): Promise<AdminStatsReply> => {
      const states = await countByState(db);
      const map = await shardsOfMap(options, log);
      if (map === undefined) {
        return {
          total: total(states),
          states,
          shardMapVersion: null,
          shards: [{ shard: null, prefixes: [WHOLE_SPACE], instances: total(states), states }],
        };
      }
      const ranges = map.shards.flatMap((entry) => entry.prefixes.map((p) => rangeOfPrefix(p)));
      const perRange = await countByRange(db, ranges);
      let next = 0;
      const shards = map.shards.map((entry) => {
        const counts = zeroCounts();
        for (let i = 0; i < entry.prefixes.length; i += 1) {
          const rangeCounts = perRange[next];
          next += 1;
          if (rangeCounts !== undefined) sum(counts, rangeCounts);
        }
        return {
          shard: entry.shard,
          prefixes: [...entry.prefixes],
          instances: total(counts),
          states: counts,
        };
      });
      return { total: total(states), states, shardMapVersion: map.version, shards };
    },
  );
}
