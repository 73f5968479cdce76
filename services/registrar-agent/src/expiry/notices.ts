// The pushes of an expiry: a visible `warning` before the end and the final `expired` ("no longer
// receiving calls"), to every device of the instance whose token is not known dead.
import { sipHostFor } from '@sipwake/contracts';
import type { InstanceDevice, PushDevice, PushRequest, PushType } from '@sipwake/contracts';
import type { AgentInstance } from '../ports.js';

export interface NoticeSettings {
  readonly sipHost: string;
  readonly hostPrefixLength: number;
}

export type NoticeType = typeof PushType.Warning | typeof PushType.Expired;

/** The push, or undefined when no device of the instance can be pushed. */
export function noticeFor(
  type: NoticeType,
  instance: AgentInstance,
  settings: NoticeSettings,
): PushRequest | undefined {
  const devices = instance.devices.filter((d) => d.tokenDead !== true).map(pushDeviceOf);
  if (devices.length === 0) return undefined;
  return {
    type,
    selector: instance.selector,
    host: sipHostFor(instance.selector, settings.hostPrefixLength, settings.sipHost),
    devices,
  };
}

function pushDeviceOf(device: InstanceDevice): PushDevice {
  return {
    deviceId: device.deviceId,
    provider: device.provider,
    token: device.token,
    ...(device.voipToken === null ? {} : { voipToken: device.voipToken }),
    appId: device.appId,
    platform: device.platform,
    ...(device.topic === null ? {} : { topic: device.topic }),
  };
}
