// Both local providers, their credentials written to files, and the configuration that points
// a notifier at them — what the integration tests and the benchmark start from.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@sipwake/config';
import {
  generateApnsKey,
  generateServiceAccount,
  startApnsServer,
  startFcmServer,
  writeSecretFile,
  type ApnsKey,
  type ApnsServer,
  type FcmServer,
  type ServiceAccount,
} from '@sipwake/testkit';
import { configSchema, type PushNotifierConfig } from '../config.js';

export const bundleId = 'com.example.phone';
export const projectId = 'sipwake-test';

export interface LocalProviders {
  readonly apns: ApnsServer;
  readonly fcm: FcmServer;
  readonly apnsKey: ApnsKey;
  readonly account: ServiceAccount;
  readonly dir: string;
  readonly files: { p8: string; serviceAccount: string; apnsCa: string; fcmCa: string };
  /** The configuration for these servers; `env` adds or overrides SIPWAKE_* variables. */
  config(env?: Record<string, string>): PushNotifierConfig;
  stop(): Promise<void>;
}

export async function startLocalProviders(): Promise<LocalProviders> {
  const apnsKey = generateApnsKey();
  const account = generateServiceAccount({ projectId });
  const [apns, fcm] = await Promise.all([
    startApnsServer({ keys: [apnsKey], topics: [bundleId] }),
    startFcmServer({
      accounts: [
        {
          clientEmail: account.json.client_email,
          projectId,
          publicKeyPem: account.publicKeyPem,
        },
      ],
    }),
  ]);
  const dir = mkdtempSync(path.join(tmpdir(), 'sipwake-push-'));
  const files = {
    p8: await writeSecretFile(path.join(dir, `AuthKey_${apnsKey.keyId}.p8`), apnsKey.privateKeyPem),
    serviceAccount: await writeSecretFile(path.join(dir, 'service-account.json'), account.json),
    apnsCa: await writeSecretFile(path.join(dir, 'apns-ca.pem'), apns.ca),
    fcmCa: await writeSecretFile(path.join(dir, 'fcm-ca.pem'), fcm.ca),
  };
  return {
    apns,
    fcm,
    apnsKey,
    account,
    dir,
    files,
    config(env = {}) {
      return loadConfig(configSchema, {
        env: {
          SIPWAKE_APNS_BASE_URL: apns.url,
          SIPWAKE_APNS_KEY_FILE: files.p8,
          SIPWAKE_APNS_KEY_ID: apnsKey.keyId,
          SIPWAKE_APNS_TEAM_ID: apnsKey.teamId,
          SIPWAKE_APNS_CA_FILE: files.apnsCa,
          SIPWAKE_FCM_BASE_URL: fcm.url,
          SIPWAKE_FCM_SERVICE_ACCOUNT_FILE: files.serviceAccount,
          SIPWAKE_FCM_TOKEN_URI: fcm.tokenUri,
          SIPWAKE_FCM_CA_FILE: files.fcmCa,
          ...env,
        },
      });
    },
    async stop() {
      await Promise.all([apns.stop(), fcm.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
