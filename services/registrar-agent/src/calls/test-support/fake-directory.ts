// An in-memory InstanceDirectory for the calls side's unit tests: instances set by the test,
// device-side bindings recorded as the real directory records them.
import { computeSelector, InstanceMode, InstanceState } from '@sipwake/contracts';
import type { DeviceEvent, InstanceDevice } from '@sipwake/contracts';
import type {
  AgentInstance,
  DeviceBinding,
  DirectoryEvent,
  InstanceDirectory,
} from '../../ports.js';

export interface FakeAccount {
  readonly username: string;
  readonly authUsername: string;
  readonly domain: string;
  readonly password: string;
}

export interface FakeDirectory extends InstanceDirectory {
  /** Adds an instance; returns its selector. */
  add(account: FakeAccount, devices: readonly InstanceDevice[]): string;
  /** Announces a device event, as the registration side does after applying it. */
  announce(selector: string, event: DeviceEvent): void;
}

export function device(deviceId: string, token: string, over: Partial<InstanceDevice> = {}) {
  const d: InstanceDevice = {
    deviceId,
    appId: 'org.example.phone',
    platform: 'ios',
    provider: 'apns',
    token,
    voipToken: null,
    topic: null,
    presence: 'background',
    lastSeenAt: null,
    ...over,
  };
  return d;
}

export function createFakeDirectory(): FakeDirectory {
  const instances = new Map<
    string,
    { base: Omit<AgentInstance, 'deviceBindings'>; bindings: DeviceBinding[] }
  >();
  const listeners = new Set<(event: DirectoryEvent) => void>();
  const emit = (event: DirectoryEvent): void => {
    for (const l of [...listeners]) l(event);
  };
  const view = (selector: string): AgentInstance | undefined => {
    const entry = instances.get(selector);
    return entry ? { ...entry.base, deviceBindings: [...entry.bindings] } : undefined;
  };
  return {
    add(account, devices) {
      const selector = computeSelector(account);
      instances.set(selector, {
        base: {
          selector,
          version: 1,
          mode: InstanceMode.Takeover,
          account: {
            username: account.username,
            authUsername: account.authUsername,
            domain: account.domain,
            registrar: null,
            outboundProxy: null,
            transport: null,
            expiresSeconds: null,
          },
          devices,
          state: InstanceState.Registered,
          lastSeenAt: null,
          registration: null,
          credentials: () => ({ username: account.authUsername, password: account.password }),
        },
        bindings: [],
      });
      emit({ kind: 'added', selector });
      return selector;
    },
    announce(selector, event) {
      emit({ kind: 'device', selector, event });
    },
    get: view,
    list: () => [...instances.keys()].map((s) => view(s)!),
    size: () => instances.size,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setDeviceBinding(selector, binding) {
      const entry = instances.get(selector);
      if (!entry) return false;
      entry.bindings = [...entry.bindings.filter((b) => b.key !== binding.key), binding];
      emit({ kind: 'binding', selector });
      return true;
    },
    removeDeviceBinding(selector, key) {
      const entry = instances.get(selector);
      if (!entry) return;
      entry.bindings = entry.bindings.filter((b) => b.key !== key);
      emit({ kind: 'binding', selector });
    },
    setDeviceToken(selector, deviceId, push) {
      const entry = instances.get(selector);
      const held = entry?.base.devices.find((d) => d.deviceId === deviceId);
      if (!entry || !held) return false;
      const updated = {
        ...held,
        token: push.token,
        voipToken: push.voipToken ?? held.voipToken,
        tokenDead: false,
      };
      const devices = entry.base.devices.map((d) => (d === held ? updated : d));
      entry.base = { ...entry.base, devices };
      emit({ kind: 'token', selector, deviceId });
      return true;
    },
    markTokenDead(selector, deviceId, token) {
      const entry = instances.get(selector);
      const held = entry?.base.devices.find((d) => d.deviceId === deviceId);
      if (!entry || !held || held.tokenDead === true) return false;
      if (held.token !== token && held.voipToken !== token) return false;
      const updated = { ...held, tokenDead: true };
      entry.base = {
        ...entry.base,
        devices: entry.base.devices.map((d) => (d === held ? updated : d)),
      };
      emit({ kind: 'token', selector, deviceId });
      return true;
    },
  };
}
