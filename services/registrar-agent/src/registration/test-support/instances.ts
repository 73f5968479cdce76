// LoadedInstance values for tests, with the password sealed under a throw-away key ring.
import { randomBytes } from 'node:crypto';
import { computeSelector, InstanceMode } from '@sipwake/contracts';
import type { CheckpointRow, InstanceDevice, LoadedInstance } from '@sipwake/contracts';
import { createKeyRing, instancePasswordAad, sealedToString, sealSecret } from '@sipwake/secrets';
import type { KeyRing } from '@sipwake/secrets';

export function testKeyRing(): KeyRing {
  return createKeyRing({ current: 'k1', keys: { k1: randomBytes(32) } });
}

export interface TestAccount {
  readonly username: string;
  readonly domain: string;
  readonly password: string;
  readonly registrar?: string | null;
  readonly expiresSeconds?: number | null;
}

export function loadedInstance(
  keyRing: KeyRing,
  account: TestAccount,
  over: Partial<Omit<LoadedInstance, 'account' | 'selector'>> = {},
): LoadedInstance {
  const selector = computeSelector({
    authUsername: account.username,
    username: account.username,
    domain: account.domain,
  });
  const sealed = sealSecret(keyRing, account.password, { aad: instancePasswordAad(selector) });
  return {
    selector,
    version: 1,
    mode: InstanceMode.Always,
    devices: [],
    registration: null,
    ...over,
    account: {
      username: account.username,
      authUsername: account.username,
      domain: account.domain,
      registrar: account.registrar ?? null,
      outboundProxy: null,
      transport: null,
      expiresSeconds: account.expiresSeconds ?? null,
      passwordSealed: sealedToString(sealed),
    },
  };
}

export function testDevice(deviceId: string, over: Partial<InstanceDevice> = {}): InstanceDevice {
  return {
    deviceId,
    appId: 'org.example.phone',
    platform: 'ios',
    provider: 'apns',
    token: `token-${deviceId}`,
    voipToken: null,
    topic: null,
    presence: 'background',
    lastSeenAt: null,
    ...over,
  };
}

export type { CheckpointRow };
