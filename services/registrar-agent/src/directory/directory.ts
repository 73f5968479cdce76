// The shard's instances in memory: what the state-persister loaded, kept current by instance
// changes and device events, plus the registration state the agent itself keeps. Sealed
// passwords stay sealed until `credentials()` is called for one REGISTER or digest check.
import type { CheckpointRow, DeviceEvent, LoadedInstance } from '@sipwake/contracts';
import { InstanceState } from '@sipwake/contracts';
import type { KeyRing } from '@sipwake/secrets';
import { instancePasswordAad, openSecret } from '@sipwake/secrets';
import type { PasswordCredentials } from '@sipwake/sip-stack';
import { AgentError, AgentErrorCode } from '../errors.js';
import type { AgentInstance, DeviceBinding, DirectoryEvent, InstanceDirectory } from '../ports.js';

/** What `put` did with a loaded instance. */
export type PutOutcome = 'added' | 'changed' | 'stale';

/** The directory with the operations only the registration side uses. */
export interface DirectoryStore extends InstanceDirectory {
  /**
   * Adds or replaces an instance from a load. An older version than held is ignored ('stale').
   * A replaced instance keeps the registration state the agent holds (it is newer than the
   * store's), unless the store's row has a higher version.
   */
  put(loaded: LoadedInstance): PutOutcome;
  /** Forgets an instance; true when it was held. */
  remove(selector: string): boolean;
  /** A device's presence or "about to answer"; false when the instance or device is unknown. */
  applyDevice(event: DeviceEvent): boolean;
  /** The registration side's new state for an instance (ignored when not held). */
  setRegistration(selector: string, state: InstanceState, row: CheckpointRow | null): void;
}

interface Entry {
  readonly loaded: LoadedInstance;
  readonly state: InstanceState;
  readonly registration: CheckpointRow | null;
  readonly bindings: ReadonlyMap<string, DeviceBinding>;
}

export interface DirectoryOptions {
  readonly keyRing: KeyRing;
}

export function createDirectory(options: DirectoryOptions): DirectoryStore {
  const entries = new Map<string, Entry>();
  const listeners = new Set<(event: DirectoryEvent) => void>();

  const emit = (event: DirectoryEvent): void => {
    for (const listener of [...listeners]) listener(event);
  };

  const view = (entry: Entry): AgentInstance => {
    const { loaded } = entry;
    const { passwordSealed, ...account } = loaded.account;
    return Object.freeze({
      selector: loaded.selector,
      version: loaded.version,
      mode: loaded.mode,
      account: Object.freeze(account),
      devices: loaded.devices,
      lastSeenAt: loaded.lastSeenAt ?? null,
      state: entry.state,
      registration: entry.registration,
      deviceBindings: Object.freeze([...entry.bindings.values()]),
      credentials: (): PasswordCredentials => ({
        username: loaded.account.authUsername,
        password: openPassword(options.keyRing, loaded.selector, passwordSealed),
      }),
    });
  };

  const replace = (selector: string, change: Partial<Entry>): Entry | undefined => {
    const entry = entries.get(selector);
    if (!entry) return undefined;
    const next = { ...entry, ...change };
    entries.set(selector, next);
    return next;
  };

  return {
    get(selector) {
      const entry = entries.get(selector);
      return entry && view(entry);
    },
    list: () => [...entries.values()].map(view),
    size: () => entries.size,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setDeviceBinding(selector, binding) {
      const entry = entries.get(selector);
      if (!entry) return false;
      const bindings = new Map(entry.bindings);
      bindings.set(binding.key, binding);
      replace(selector, { bindings });
      emit({ kind: 'binding', selector });
      return true;
    },
    removeDeviceBinding(selector, key) {
      const entry = entries.get(selector);
      if (!entry || !entry.bindings.has(key)) return;
      const bindings = new Map(entry.bindings);
      bindings.delete(key);
      replace(selector, { bindings });
      emit({ kind: 'binding', selector });
    },
    setDeviceToken(selector, deviceId, push) {
      const entry = entries.get(selector);
      const held = entry?.loaded.devices.find((d) => d.deviceId === deviceId);
      if (!entry || !held) return false;
      const updated = {
        ...held,
        token: push.token,
        voipToken: push.voipToken ?? held.voipToken,
        tokenDead: false,
      };
      const devices = entry.loaded.devices.map((d) => (d === held ? updated : d));
      replace(selector, { loaded: { ...entry.loaded, devices } });
      emit({ kind: 'token', selector, deviceId });
      return true;
    },
    markTokenDead(selector, deviceId, token) {
      const entry = entries.get(selector);
      const held = entry?.loaded.devices.find((d) => d.deviceId === deviceId);
      if (!entry || !held || held.tokenDead === true) return false;
      if (held.token !== token && held.voipToken !== token) return false;
      const updated = { ...held, tokenDead: true };
      const devices = entry.loaded.devices.map((d) => (d === held ? updated : d));
      replace(selector, { loaded: { ...entry.loaded, devices } });
      emit({ kind: 'token', selector, deviceId });
      return true;
    },

    put(loaded) {
      const held = entries.get(loaded.selector);
      if (held && held.loaded.version > loaded.version) return 'stale';
      if (!held) {
        entries.set(loaded.selector, {
          loaded,
          state: loaded.registration?.status ?? InstanceState.Registering,
          registration: loaded.registration,
          bindings: new Map(),
        });
        emit({ kind: 'added', selector: loaded.selector });
        return 'added';
      }
      const storeNewer =
        loaded.registration !== null &&
        (held.registration === null || loaded.registration.version > held.registration.version);
      entries.set(loaded.selector, {
        loaded,
        state: storeNewer ? loaded.registration!.status : held.state,
        registration: storeNewer ? loaded.registration : held.registration,
        bindings: held.bindings,
      });
      emit({ kind: 'changed', selector: loaded.selector });
      return 'changed';
    },
    remove(selector) {
      if (!entries.delete(selector)) return false;
      emit({ kind: 'removed', selector });
      return true;
    },
    applyDevice(event) {
      const entry = entries.get(event.selector);
      if (!entry) return false;
      const index = entry.loaded.devices.findIndex((d) => d.deviceId === event.deviceId);
      if (index < 0) return false;
      const device = entry.loaded.devices[index]!;
      // An event older than what the device last reported changes nothing (events may cross).
      if (device.lastSeenAt !== null && event.at < device.lastSeenAt) return false;
      const updated = {
        ...device,
        lastSeenAt: event.at,
        ...(event.type === 'presence' ? { presence: event.presence } : {}),
      };
      const devices = entry.loaded.devices.map((d, i) => (i === index ? updated : d));
      replace(event.selector, { loaded: { ...entry.loaded, devices } });
      emit({ kind: 'device', selector: event.selector, event });
      return true;
    },
    setRegistration(selector, state, row) {
      if (replace(selector, { state, registration: row })) emit({ kind: 'state', selector });
    },
  };
}

function openPassword(keyRing: KeyRing, selector: string, sealed: string): string {
  try {
    return openSecret(keyRing, sealed, { aad: instancePasswordAad(selector) });
  } catch (error) {
    // The cause is a SecretsError: key ids and reasons, never the plaintext.
    throw new AgentError(AgentErrorCode.PasswordUnreadable, 'the SIP password cannot be opened', {
      cause: error,
      selector,
    });
  }
}
