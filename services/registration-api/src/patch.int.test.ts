// PATCH /v1/instances/{selector} against a real PostgreSQL (throw-away database) and the local
// nats-server at 127.0.0.1:4222 (the announcement travels through it).
import { connectBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import { decodeMessage, InstanceChange, subjects } from '@sipwake/contracts';
import { instancePasswordAad, openSecret } from '@sipwake/secrets';
import { createThrowawayStore, PASSWORD } from './test-support/fixtures.js';
import type { ThrowawayStore } from './test-support/fixtures.js';
import { handOverAs, nextOn, startApi, uniqueUsername } from './test-support/harness.js';
import type { Harness } from './test-support/harness.js';

const NEW_PASSWORD = 'new-secret-password-4711';

let store: ThrowawayStore;
let bus: Bus;
let api: Harness;

beforeAll(async () => {
  store = await createThrowawayStore();
  bus = await connectBus({ kind: 'nats', servers: 'nats://127.0.0.1:4222', name: 'patch-test' });
});
afterAll(async () => {
  await bus.close();
  await store.drop();
});
beforeEach(async () => {
  api = await startApi(store, bus);
});
afterEach(async () => {
  await api.app.close();
});

function patch(selector: string, payload: unknown, headers: Record<string, string> = {}) {
  return api.app.inject({
    method: 'PATCH',
    url: `/v1/instances/${selector}`,
    headers,
    payload: payload as object,
  });
}

async function rowOf(selector: string): Promise<Record<string, unknown>> {
  const { rows } = await store.db.query<Record<string, unknown>>(
    'SELECT * FROM instances WHERE selector = $1',
    [selector],
  );
  return rows[0] as Record<string, unknown>;
}

describe('PATCH /v1/instances/:selector', () => {
  it('changes every setting in one write, keeps the selector and token, and announces it', async () => {
    const { selector, auth, token } = await handOverAs(api.app, uniqueUsername('patch'));
    const { next: announced } = await nextOn(bus, subjects.shardInstance(selector), (m) =>
      decodeMessage(InstanceChange, m.data),
    );
    const res = await patch(
      selector,
      {
        account: {
          password: NEW_PASSWORD,
          registrar: 'sips:registrar.example.org;transport=tls',
          outboundProxy: 'sip:proxy.example.org',
          transport: 'tls',
          expiresSeconds: 1800,
        },
        mode: 'always',
      },
      auth,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      selector,
      account: {
        registrar: 'sips:registrar.example.org;transport=tls',
        outboundProxy: 'sip:proxy.example.org',
        transport: 'tls',
        expiresSeconds: 1800,
      },
      mode: 'always',
      version: 2,
      devices: [{ id: 'phone-1' }],
    });
    await expect(announced).resolves.toEqual({ change: 'changed', selector, version: 2 });

    const row = await rowOf(selector);
    expect(row).toMatchObject({ transport: 'tls', requested_expires_s: 1800, mode: 'always' });
    const sealed = row.password_ciphertext as Uint8Array;
    expect(openSecret(api.keyRing, sealed, { aad: instancePasswordAad(selector) })).toBe(
      NEW_PASSWORD,
    );
    expect(Buffer.from(sealed).includes(Buffer.from(NEW_PASSWORD))).toBe(false);
    expect(res.body).not.toContain(NEW_PASSWORD);
    expect(api.log.lines.join('\n')).not.toContain(NEW_PASSWORD);
    // The token still opens the instance.
    const get = await api.app.inject({ url: `/v1/instances/${selector}`, headers: auth });
    expect(get.json()).toMatchObject({ version: 2, mode: 'always' });
    expect(token).toHaveLength(43);
  });

  it('clears a registrar or outbound proxy given as null and leaves the rest', async () => {
    const { selector, auth } = await handOverAs(api.app, uniqueUsername('patch'), {
      outboundProxy: 'sip:proxy.example.com',
    });
    const res = await patch(selector, { account: { outboundProxy: null } }, auth);
    expect(res.statusCode).toBe(200);
    expect(await rowOf(selector)).toMatchObject({
      outbound_proxy_uri: null,
      registrar_uri: 'sip:registrar.example.com',
      transport: 'tcp',
      requested_expires_s: 600,
      mode: 'takeover',
      version: 2,
    });
  });

  it('gives an unauthorized instance another try with a new password, not with other changes', async () => {
    const { selector, auth } = await handOverAs(api.app, uniqueUsername('patch'));
    await store.db.query(`UPDATE instances SET state = 'unauthorized' WHERE selector = $1`, [
      selector,
    ]);
    await patch(selector, { account: { expiresSeconds: 900 } }, auth);
    expect(await rowOf(selector)).toMatchObject({ state: 'unauthorized', version: 2 });
    const res = await patch(selector, { account: { password: NEW_PASSWORD } }, auth);
    expect(res.json()).toMatchObject({ state: 'registering', version: 3 });
  });

  it.each([
    ['a bad transport', { account: { transport: 'sctp' } }, '/account/transport'],
    ['a bad registrar', { account: { registrar: 'http://x' } }, '/account/registrar'],
    ['a too short expiry', { account: { expiresSeconds: 10 } }, '/account/expiresSeconds'],
    ['an empty password', { account: { password: '' } }, '/account/password'],
    ['a bad mode', { mode: 'never' }, '/mode'],
    ['a new username', { account: { username: 'mallory' } }, '/account/username'],
    ['a new domain', { account: { domain: 'evil.example' } }, '/account/domain'],
    ['an empty body', {}, '/'],
    ['an empty account', { account: {} }, '/'],
  ])('refuses %s with 400 naming the field and changes nothing', async (_name, body, field) => {
    const { selector, auth } = await handOverAs(api.app, uniqueUsername('patch'));
    const before = await rowOf(selector);
    const res = await patch(selector, body, auth);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid-body', field, message: expect.any(String) });
    expect(await rowOf(selector)).toEqual(before);
  });

  it('answers the same 401 as GET for a missing, wrong or unknown token', async () => {
    const { selector, auth } = await handOverAs(api.app, uniqueUsername('patch'));
    const body = { account: { password: NEW_PASSWORD } };
    const reference = await api.app.inject({ url: `/v1/instances/${selector}` });
    const answers = [
      await patch(selector, body),
      await patch(selector, body, { authorization: `Bearer ${'A'.repeat(43)}` }),
      await patch('f'.repeat(40), body, auth),
      await patch('not-a-selector', body, auth),
      // The token is checked before the body: a stranger learns nothing from a 400.
      await patch(selector, { account: { transport: 'sctp' } }),
    ];
    for (const res of answers) {
      expect(res.statusCode).toBe(401);
      expect(res.body).toBe(reference.body);
    }
    expect(await rowOf(selector)).toMatchObject({ version: 1 });
    const sealed = (await rowOf(selector)).password_ciphertext as Uint8Array;
    expect(openSecret(api.keyRing, sealed, { aad: instancePasswordAad(selector) })).toBe(PASSWORD);
  });
});
