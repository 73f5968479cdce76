// sw.state.device-token on a private nats-server and a throw-away database: the device row takes
// the new push data once, a resend and an older report change nothing (not even the row's
// version: its xmin), a dead-token mark is cleared, and what is not stored answers `gone`.
import { connectBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import { subjects } from '@sipwake/contracts';
import { startNatsServer } from '@sipwake/testkit';
import type { NatsServer } from '@sipwake/testkit';
import { createStatePersister } from './persister.js';
import {
  createThrowawayStore,
  requestLoad,
  seedDevice,
  seedInstances,
  selectorStartingWith,
  sendRecord,
  silentLog,
} from './test-support/store.js';
import type { ThrowawayStore } from './test-support/store.js';
import type { StatePersister } from './types.js';

let nats: NatsServer;
let store: ThrowawayStore;
let agent: Bus;
let persisterBus: Bus;
let persister: StatePersister;

beforeAll(async () => {
  [nats, store] = await Promise.all([startNatsServer({}), createThrowawayStore()]);
  agent = await connectBus({ kind: 'nats', servers: nats.url, name: 'agent' });
  persisterBus = await connectBus({ kind: 'nats', servers: nats.url, name: 'persister' });
  persister = createStatePersister({ bus: persisterBus, db: store.db, log: silentLog });
  persister.start();
  await persisterBus.flush();
}, 60_000);

afterAll(async () => {
  await persister?.stop();
  for (const b of [agent, persisterBus]) await b?.close();
  await store?.drop();
  await nats?.stop();
}, 60_000);

interface DeviceRow {
  push_token: string;
  voip_token: string | null;
  token_dead_at: Date | null;
  updated_ms: string;
  xmin: string;
}

async function deviceRow(selector: string, deviceId = 'phone'): Promise<DeviceRow | undefined> {
  const { rows } = await store.db.query<DeviceRow>(
    `SELECT push_token, voip_token, token_dead_at, xmin::text AS xmin,
            round(extract(epoch FROM updated_at) * 1000)::bigint::text AS updated_ms
     FROM devices WHERE selector = $1 AND device_id = $2`,
    [selector, deviceId],
  );
  return rows[0];
}

/** A time after the seeded row's `updated_at` (now() of the database). */
const later = (ms: number): number => Date.now() + 60_000 + ms;

async function seeded(): Promise<string> {
  const s = selectorStartingWith('9');
  await seedInstances(store.db, [s]);
  await seedDevice(store.db, s, 'phone', 'token-old');
  return s;
}

it('takes a new token once, clears the dead mark, and a resend changes nothing', async () => {
  const s = await seeded();
  expect(
    await sendRecord(agent, subjects.stateDeadToken, {
      selector: s,
      deviceId: 'phone',
      token: 'token-old',
      reason: 'unregistered',
    }),
  ).toEqual({ ok: true, value: { outcome: 'written' } });
  expect((await deviceRow(s))?.token_dead_at).not.toBeNull();

  const at = later(0);
  const fresh = { selector: s, deviceId: 'phone', provider: 'apns', token: 'token-new', at };
  expect(await sendRecord(agent, subjects.stateDeviceToken, fresh)).toEqual({
    ok: true,
    value: { outcome: 'written' },
  });
  const after = await deviceRow(s);
  expect(after).toMatchObject({
    push_token: 'token-new',
    voip_token: null,
    token_dead_at: null,
    updated_ms: String(at),
  });

  // The next load carries the new token, alive.
  const page = await requestLoad(agent, { prefixes: [s.slice(0, 12)], limit: 10 });
  if (!page.ok) throw new Error(page.error.code);
  expect(page.value.instances[0]?.devices[0]).toMatchObject({
    deviceId: 'phone',
    token: 'token-new',
    tokenDead: false,
  });

  // A resend after a lost reply: nothing written (the row version, xmin, stays).
  expect(await sendRecord(agent, subjects.stateDeviceToken, fresh)).toEqual({
    ok: true,
    value: { outcome: 'duplicate' },
  });
  expect(await deviceRow(s)).toEqual(after);
});

it('leaves a row newer than `at` alone: an older report answers gone', async () => {
  const s = await seeded();
  const newer = {
    selector: s,
    deviceId: 'phone',
    provider: 'apns',
    token: 'token-b',
    at: later(5000),
  };
  expect(await sendRecord(agent, subjects.stateDeviceToken, newer)).toEqual({
    ok: true,
    value: { outcome: 'written' },
  });
  const before = await deviceRow(s);
  const older = { ...newer, token: 'token-a', at: later(1000) };
  expect(await sendRecord(agent, subjects.stateDeviceToken, older)).toEqual({
    ok: true,
    value: { outcome: 'gone' },
  });
  expect(await deviceRow(s)).toEqual(before);
  // A row older than `at` but already holding the token: nothing to write.
  const same = { ...newer, at: later(9000) };
  expect(await sendRecord(agent, subjects.stateDeviceToken, same)).toEqual({
    ok: true,
    value: { outcome: 'duplicate' },
  });
  expect(await deviceRow(s)).toEqual(before);
});

it('takes an APNs VoIP token and keeps the push token', async () => {
  const s = await seeded();
  const voip = {
    selector: s,
    deviceId: 'phone',
    provider: 'apns',
    token: 'token-old',
    voipToken: 'voip-1',
    at: later(0),
  };
  expect(await sendRecord(agent, subjects.stateDeviceToken, voip)).toEqual({
    ok: true,
    value: { outcome: 'written' },
  });
  expect(await deviceRow(s)).toMatchObject({ push_token: 'token-old', voip_token: 'voip-1' });
});

it('answers gone for an unknown device, another provider or an unknown instance', async () => {
  const s = await seeded();
  const before = await deviceRow(s);
  const base = { selector: s, deviceId: 'phone', provider: 'apns', token: 'token-x', at: later(0) };
  for (const request of [
    { ...base, deviceId: 'tablet' },
    { ...base, provider: 'fcm' },
    { ...base, selector: selectorStartingWith('9') },
  ]) {
    expect(await sendRecord(agent, subjects.stateDeviceToken, request)).toEqual({
      ok: true,
      value: { outcome: 'gone' },
    });
  }
  expect(await deviceRow(s)).toEqual(before);
});

it('refuses an invalid request naming the field, without its value, and writes nothing', async () => {
  const s = await seeded();
  const before = await deviceRow(s);
  const reply = await sendRecord(agent, subjects.stateDeviceToken, {
    selector: s,
    deviceId: 'phone',
    provider: 'webpush',
    token: 'secret-looking-token',
    at: -5,
  });
  expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', retryable: false } });
  if (reply.ok) return;
  expect(reply.error.message).toContain('/provider');
  expect(reply.error.message).toContain('/at');
  expect(reply.error.message).not.toContain('secret-looking-token');
  expect(await deviceRow(s)).toEqual(before);
});
