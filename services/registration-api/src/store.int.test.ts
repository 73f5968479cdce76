// The hand-over statement against a real PostgreSQL: instance and device commit together or
// not at all.
import { computeSelector } from '@sipwake/contracts';
import { DbError } from '@sipwake/db';
import type { PushProvider } from '@sipwake/contracts';
import { writeHandOver } from './store.js';
import type { DeviceWrite, InstanceWrite } from './store.js';
import { createThrowawayStore } from './test-support/fixtures.js';
import type { ThrowawayStore } from './test-support/fixtures.js';

let store: ThrowawayStore;
beforeAll(async () => {
  store = await createThrowawayStore();
});
afterAll(async () => {
  await store.drop();
});

const selector = computeSelector({ authUsername: 'st', username: 'st', domain: 'example.com' });
const instance: InstanceWrite = {
  selector,
  username: 'st',
  authUsername: 'st',
  domain: 'example.com',
  registrar: null,
  outboundProxy: null,
  transport: 'udp',
  expiresSeconds: 3600,
  mode: 'takeover',
  passwordSealed: new Uint8Array([1, 2, 3]),
  passwordKeyId: 'k1',
  tokenHash: 'a'.repeat(64),
};
const device: DeviceWrite = {
  id: 'd1',
  appId: 'app',
  platform: 'ios',
  pushProvider: 'apns',
  token: 't',
  voipToken: null,
  topic: null,
};

it('writes the instance and its device in one statement, and a re-post updates both', async () => {
  await expect(writeHandOver(store.db, instance, device)).resolves.toEqual({
    created: true,
    state: 'registering',
    version: 1,
  });
  await expect(
    writeHandOver(store.db, instance, { ...device, token: 't2' }),
  ).resolves.toMatchObject({ created: false, version: 2 });
  const { rows } = await store.db.query('SELECT device_id, push_token FROM devices');
  expect(rows).toEqual([{ device_id: 'd1', push_token: 't2' }]);
});

it('leaves the instance unwritten when the device row is refused', async () => {
  const other = { ...instance, selector: 'b'.repeat(40) };
  const refused = await writeHandOver(store.db, other, {
    ...device,
    pushProvider: 'carrier-pigeon' as PushProvider,
  }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(DbError);
  expect(refused).toMatchObject({ code: 'CONSTRAINT' });
  const { rows } = await store.db.query('SELECT 1 FROM instances WHERE selector = $1', [
    other.selector,
  ]);
  expect(rows).toHaveLength(0);
});
