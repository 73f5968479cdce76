// RFC 8599 at the device-side registrar: a woken app's REGISTER names its push token in the
// Contact's `pn-*` parameters. When it is not the token the device holds, the directory's device
// takes it at once (the next push goes there) and the store is told (`DeviceTokenSink`), so that
// a reload or another shard finds it too.
import type { DeviceToken, InstanceDevice } from '@sipwake/contracts';
import type { AgentClock, CallSideLog, InstanceDirectory } from '../ports.js';
import type { ContactPush } from './contact-key.js';
import { isVoipPrid, newPushData } from './push-data.js';
import type { DeviceTokenSink } from './token-sink.js';

export interface DeviceTokens {
  /** Takes `push` for `device` when it is new; true when the device's push data changed. */
  refresh(selector: string, device: InstanceDevice, push: ContactPush): boolean;
}

export interface DeviceTokensDeps {
  readonly directory: Pick<InstanceDirectory, 'setDeviceToken'>;
  readonly sink: DeviceTokenSink;
  readonly clock: AgentClock;
  readonly log: CallSideLog;
}

export function createDeviceTokens(deps: DeviceTokensDeps): DeviceTokens {
  const { directory, sink, clock, log } = deps;
  return {
    refresh(selector, device, push) {
      const fresh = newPushData(device, push);
      if (fresh === undefined) return false;
      if (!directory.setDeviceToken(selector, device.deviceId, fresh)) return false;
      const record: DeviceToken = {
        selector,
        deviceId: device.deviceId,
        provider: device.provider,
        token: fresh.token,
        ...(fresh.voipToken === undefined ? {} : { voipToken: fresh.voipToken }),
        at: clock.epochMs(),
      };
      log.info(
        { selector, deviceId: device.deviceId, voip: isVoipPrid(push) },
        'device registered with a new push token',
      );
      sink.deviceToken(record);
      return true;
    },
  };
}
