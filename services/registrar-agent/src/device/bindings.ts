// Device-side bindings: a woken app REGISTERed to sipwake. The directory holds them (both
// sides read them there); this module arms one expiry timer per binding, removes it when it
// runs out, and tells the calls side when a binding is added or refreshed (a pending call
// forks to it).
import type { Clock, TimerHandle } from '@sipwake/sip-stack';
import type { DeviceBinding, InstanceDirectory } from '../ports.js';

/** A device-side binding was added or refreshed: `fresh` when it is new. */
export interface BoundEvent {
  readonly selector: string;
  readonly binding: DeviceBinding;
  readonly fresh: boolean;
}

export interface DeviceBindings {
  /** Records (or refreshes) a binding; false when the directory does not hold the instance. */
  put(selector: string, binding: DeviceBinding): boolean;
  remove(selector: string, key: string): void;
  /** Every binding of the instance that has not expired, oldest first. */
  live(selector: string): readonly DeviceBinding[];
  /** Calls `listener` after each put; returns the unsubscribe function. */
  onBound(listener: (event: BoundEvent) => void): () => void;
  /** Clears every expiry timer (the bindings stay in the directory). Idempotent. */
  stop(): void;
}

export interface DeviceBindingsDeps {
  readonly directory: InstanceDirectory;
  readonly clock: Clock;
}

const timerKey = (selector: string, key: string): string => `${selector}\n${key}`;

export function createDeviceBindings(deps: DeviceBindingsDeps): DeviceBindings {
  const { directory, clock } = deps;
  const timers = new Map<string, TimerHandle>();
  const listeners = new Set<(event: BoundEvent) => void>();

  const disarm = (selector: string, key: string): void => {
    const id = timerKey(selector, key);
    clock.clearTimeout(timers.get(id));
    timers.delete(id);
  };

  const remove = (selector: string, key: string): void => {
    disarm(selector, key);
    directory.removeDeviceBinding(selector, key);
  };

  const live = (selector: string): readonly DeviceBinding[] => {
    const now = clock.now();
    return (directory.get(selector)?.deviceBindings ?? []).filter((b) => b.expiresAtMs > now);
  };

  return {
    put(selector, binding) {
      const fresh = !live(selector).some((b) => b.key === binding.key);
      if (!directory.setDeviceBinding(selector, binding)) return false;
      disarm(selector, binding.key);
      const delay = Math.max(0, binding.expiresAtMs - clock.now());
      timers.set(
        timerKey(selector, binding.key),
        clock.setTimeout(() => {
          timers.delete(timerKey(selector, binding.key));
          directory.removeDeviceBinding(selector, binding.key);
        }, delay),
      );
      for (const listener of [...listeners]) listener({ selector, binding, fresh });
      return true;
    },
    remove,
    live,
    onBound(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      for (const handle of timers.values()) clock.clearTimeout(handle);
      timers.clear();
      listeners.clear();
    },
  };
}
