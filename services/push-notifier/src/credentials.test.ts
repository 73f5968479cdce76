import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@sipwake/config';
import { createInProcessBus } from '@sipwake/bus';
import { generateApnsKey, generateServiceAccount } from '@sipwake/testkit';
import { configSchema } from './config.js';
import { readApnsKey, readServiceAccount } from './credentials.js';
import { createPushNotifier } from './notifier.js';
import { createCaptureLog } from './test-support/capture-log.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sipwake-push-cred-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string): string => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

describe('credentials at start-up', () => {
  it('reads an APNs .p8 key', () => {
    const key = generateApnsKey();
    expect(readApnsKey(file('ok.p8', key.privateKeyPem)).asymmetricKeyType).toBe('ec');
  });

  it('refuses a missing, malformed or non-P-256 key, naming the key, never the content', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const cases = [
      path.join(dir, 'missing.p8'),
      file('garbage.p8', 'secret-garbage-text'),
      file('rsa.p8', rsa),
    ];
    for (const p of cases) {
      let error: unknown;
      try {
        readApnsKey(p);
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'APNS_KEY_INVALID', key: 'apns.keyFile' });
      expect(String((error as Error).message)).not.toContain('secret-garbage-text');
      expect(String((error as Error).message)).not.toContain('PRIVATE KEY');
    }
  });

  it('reads a service account and refuses one without a field', () => {
    const account = generateServiceAccount({ projectId: 'p9' });
    const read = readServiceAccount(file('sa.json', JSON.stringify(account.json)));
    expect(read).toMatchObject({ projectId: 'p9', clientEmail: account.json.client_email });
    const lacking: Record<string, unknown> = { ...account.json };
    delete lacking['client_email'];
    expect(() => readServiceAccount(file('lacking.json', JSON.stringify(lacking)))).toThrow(
      expect.objectContaining({
        code: 'SERVICE_ACCOUNT_INVALID',
        message: expect.stringContaining('client_email'),
      }),
    );
    expect(() => readServiceAccount(file('notjson.json', '{'))).toThrow(
      expect.objectContaining({ code: 'SERVICE_ACCOUNT_INVALID', key: 'fcm.serviceAccountFile' }),
    );
  });

  it('createPushNotifier refuses to start with a key file but no key id', () => {
    const key = generateApnsKey();
    const config = loadConfig(configSchema, {
      env: { SIPWAKE_APNS_KEY_FILE: file('k.p8', key.privateKeyPem), SIPWAKE_APNS_TEAM_ID: 'T' },
    });
    expect(() =>
      createPushNotifier({ bus: createInProcessBus(), config, log: createCaptureLog() }),
    ).toThrow(expect.objectContaining({ code: 'APNS_KEY_INVALID', key: 'apns.keyId' }));
  });

  it('a device of a provider that is not configured gets provider-error, nothing crashes', async () => {
    const bus = createInProcessBus();
    const notifier = createPushNotifier({
      bus,
      config: loadConfig(configSchema, { env: {} }),
      log: createCaptureLog(),
    });
    notifier.start();
    const { subjects, encodeMessage, PushRequest, decodeReply, PushResults } =
      await import('@sipwake/contracts');
    const reply = await bus.request(
      subjects.push,
      encodeMessage(PushRequest, {
        type: 'message',
        selector: 'cd'.repeat(20),
        host: 'sip.example.test',
        devices: [{ deviceId: 'd', provider: 'fcm', token: 't', appId: 'a', platform: 'android' }],
      }),
    );
    expect(decodeReply(PushResults, reply.data)).toEqual({
      ok: true,
      value: {
        results: [{ deviceId: 'd', outcome: 'provider-error', detail: 'PROVIDER_NOT_CONFIGURED' }],
      },
    });
    await notifier.stop();
    await bus.close();
  });
});
