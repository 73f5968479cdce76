// The admin API against a real PostgreSQL (throw-away database): listing by prefix and state a
// page at a time, statistics with and without a shard map, the admin token guard.
import { createInProcessBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import { createThrowawayStore } from './test-support/fixtures.js';
import type { ThrowawayStore } from './test-support/fixtures.js';
import { handOverAs, startApi, testSettings } from './test-support/harness.js';
import type { Harness } from './test-support/harness.js';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

let store: ThrowawayStore;
let bus: Bus;
let api: Harness;
/** Every handed-over selector, sorted. */
let selectors: string[];

beforeAll(async () => {
  store = await createThrowawayStore();
  bus = createInProcessBus();
  api = await startApi(store, bus, { config: { ...testSettings, adminToken: ADMIN_TOKEN } });
  selectors = [];
  for (let i = 0; i < 12; i += 1) {
    selectors.push((await handOverAs(api.app, `user-${i}`)).selector);
  }
  selectors.sort();
  // Agents checkpointed three registrations; the rest have none and count as `registering`.
  const statuses = ['registered', 'registered', 'unauthorized'];
  for (const [i, status] of statuses.entries()) {
    await store.db.query(
      `INSERT INTO registrations (selector, status, shard, last_code, version)
       VALUES ($1, $2, 'shard-a', $3, 1)`,
      [selectors[i], status, status === 'registered' ? 200 : 403],
    );
  }
});
afterAll(async () => {
  await api.app.close();
  await bus.close();
  await store.drop();
});
afterEach(async () => {
  await store.db.exec('DELETE FROM shard_map');
});

function getAdmin(url: string, headers: Record<string, string> = admin) {
  return api.app.inject({ url, headers });
}

type Page = { instances: { selector: string; state: string }[]; nextCursor: string | null };

describe('GET /v1/admin/instances', () => {
  it('pages through every instance in selector order with the keyset cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 20; pages += 1) {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const res = await getAdmin(`/v1/admin/instances?limit=5${query}`);
      expect(res.statusCode).toBe(200);
      const page = res.json<Page>();
      seen.push(...page.instances.map((i) => i.selector));
      cursor = page.nextCursor;
      if (cursor === null) break;
      expect(page.instances).toHaveLength(5);
    }
    expect(seen).toEqual(selectors);
  });

  it('lists only the instances of a prefix', async () => {
    for (const prefix of ['8/1', '0/1', `${selectors[5]!.slice(0, 2)}/8`, '0/0']) {
      const res = await getAdmin(`/v1/admin/instances?prefix=${encodeURIComponent(prefix)}`);
      const [hex, bits] = prefix.split('/') as [string, string];
      const inPrefix = (s: string): boolean =>
        Number(bits) === 0 ||
        BigInt(`0x${s.slice(0, 2)}`) >> BigInt(8 - Number(bits)) ===
          BigInt(`0x${hex.padEnd(2, '0')}`) >> BigInt(8 - Number(bits));
      expect(res.json<Page>().instances.map((i) => i.selector)).toEqual(selectors.filter(inPrefix));
    }
  });

  it('filters by state: the registration status, else the instance state', async () => {
    const registered = await getAdmin('/v1/admin/instances?state=registered');
    expect(registered.json<Page>().instances.map((i) => i.selector)).toEqual(selectors.slice(0, 2));
    const registering = await getAdmin('/v1/admin/instances?state=registering');
    expect(registering.json<Page>().instances.map((i) => i.selector)).toEqual(selectors.slice(3));
    const first = registered.json<Page>().instances[0];
    expect(first).toMatchObject({
      state: 'registered',
      shard: 'shard-a',
      lastCode: 200,
      devices: 1,
      mode: 'takeover',
    });
    expect(JSON.stringify(first)).not.toMatch(/password|token/i);
  });

  it.each([
    ['prefix=zz/4', 'prefix'],
    ['prefix=4/1', 'prefix'],
    ['prefix=4/200', 'prefix'],
    ['state=sleeping', 'state'],
    ['limit=0', 'limit'],
    ['limit=5000', 'limit'],
    ['cursor=xyz', 'cursor'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const res = await getAdmin(`/v1/admin/instances?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid-query', field, message: expect.any(String) });
  });
});

describe('GET /v1/admin/stats', () => {
  const states = { idle: 0, registering: 9, registered: 2, unauthorized: 1, error: 0 };

  it('counts per state and one row for the whole space when no shard map is stored', async () => {
    const res = await getAdmin('/v1/admin/stats');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      total: 12,
      states,
      shardMapVersion: null,
      shards: [{ shard: null, prefixes: ['0/0'], instances: 12, states }],
    });
  });

  it('counts per shard of the active shard map', async () => {
    const shards = [
      { shard: 'a', prefixes: ['0/1'] },
      { shard: 'b', prefixes: ['8/2', 'c/2'] },
    ];
    await store.db.query('INSERT INTO shard_map (version, shards, active) VALUES (7, $1, true)', [
      JSON.stringify(shards),
    ]);
    const res = await getAdmin('/v1/admin/stats');
    const body = res.json<{
      shardMapVersion: number;
      shards: { shard: string; instances: number; states: Record<string, number> }[];
    }>();
    const low = selectors.filter((s) => s < '8');
    expect(body.shardMapVersion).toBe(7);
    expect(body.shards.map((s) => [s.shard, s.instances])).toEqual([
      ['a', low.length],
      ['b', selectors.length - low.length],
    ]);
    const registeredInA = selectors.slice(0, 2).filter((s) => s < '8').length;
    expect(body.shards[0]!.states.registered).toBe(registeredInA);
  });

  it('falls back to the whole space, with a warning, when the active map cannot be read', async () => {
    await store.db.query('INSERT INTO shard_map (version, shards, active) VALUES (8, $1, true)', [
      JSON.stringify([{ shard: 'a', prefixes: ['not-a-prefix'] }]),
    ]);
    const res = await getAdmin('/v1/admin/stats');
    expect(res.json()).toMatchObject({ shardMapVersion: null, shards: [{ prefixes: ['0/0'] }] });
    expect(api.log.lines.some((l) => l.includes('shard map cannot be read'))).toBe(true);
  });
});

describe('the admin token', () => {
  it('answers 401 to a missing, wrong or instance token, before looking at the query', async () => {
    const { auth } = await handOverAs(api.app, 'user-0');
    const answers = [
      await getAdmin('/v1/admin/stats', {}),
      await getAdmin('/v1/admin/stats', { authorization: `Bearer ${ADMIN_TOKEN}x` }),
      await getAdmin('/v1/admin/stats', { authorization: ADMIN_TOKEN }),
      await getAdmin('/v1/admin/stats', auth),
      await getAdmin('/v1/admin/instances?prefix=zz', {}),
    ];
    for (const res of answers) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        error: 'unauthorized',
        message: 'a valid admin token is required',
      });
    }
  });

  it('is not served at all (404, as an unknown route) when no admin token is configured', async () => {
    const plain = await startApi(store, bus);
    try {
      for (const url of ['/v1/admin/stats', '/v1/admin/instances']) {
        const res = await plain.app.inject({ url, headers: admin });
        expect(res.statusCode).toBe(404);
        expect(res.body).toBe((await plain.app.inject('/v1/nothing-here')).body);
      }
    } finally {
      await plain.app.close();
    }
  });
});
