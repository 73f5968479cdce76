// Mode takeover (DESIGN.md "What the app sees"): sipwake holds the upstream binding only while
// no device has been in the foreground for the takeover delay, and gives it up when one comes
// back, so a call never rings twice. Mode always: sipwake always holds it.
import { DevicePresence, InstanceMode } from '@sipwake/contracts';
import type { InstanceDevice, InstanceMode as Mode } from '@sipwake/contracts';

export interface TakeoverOptions {
  /** Every device quiet this long before sipwake registers. */
  readonly delayMs: number;
  /** A device that said `foreground` and then nothing for this long counts as quiet (crashed). */
  readonly foregroundSilentMs: number;
}

export interface HoldDecision {
  /** Whether sipwake should hold the upstream binding now. */
  readonly hold: boolean;
  /** Epoch ms at which the decision changes by itself (a delay runs out), if it does. */
  readonly recheckAt: number | undefined;
}

export function holdDecision(
  mode: Mode,
  devices: readonly InstanceDevice[],
  nowEpochMs: number,
  options: TakeoverOptions,
): HoldDecision {
  if (mode === InstanceMode.Always) return { hold: true, recheckAt: undefined };
  let holdFrom = -Infinity;
  for (const device of devices) {
    if (device.lastSeenAt === null) continue; // never seen: it cannot be in the foreground
    const quietSince =
      device.presence === DevicePresence.Background
        ? device.lastSeenAt
        : device.lastSeenAt + options.foregroundSilentMs;
    holdFrom = Math.max(holdFrom, quietSince + options.delayMs);
  }
  if (nowEpochMs >= holdFrom) return { hold: true, recheckAt: undefined };
  return { hold: false, recheckAt: holdFrom };
}
