// RFC 8599 §4.1: what a device-side Contact's push parameters say about the device they name.
// For APNs the `pn-prid` is the device token, or the VoIP token when the topic in `pn-param`
// ends in `.voip` (RFC 8599 §9: `pn-param` is `<team id>.<topic>`); for FCM it is the
// registration token.
import { PushProvider } from '@sipwake/contracts';
import type { InstanceDevice } from '@sipwake/contracts';
import type { DevicePushData } from '../ports.js';
import type { ContactPush } from './contact-key.js';

/** The APNs topic suffix of VoIP pushes (PushKit). */
const VOIP_SUFFIX = '.voip';

/** Whether the contact's PRID is an APNs VoIP token. */
export function isVoipPrid(push: ContactPush): boolean {
  return (
    push.provider === PushProvider.Apns &&
    push.param !== undefined &&
    push.param.toLowerCase().endsWith(VOIP_SUFFIX)
  );
}

/**
 * The device's push data after a REGISTER with `push`, or undefined when it holds that token
 * already (or `push` names another provider: the device is not this contact's).
 */
export function newPushData(device: InstanceDevice, push: ContactPush): DevicePushData | undefined {
  if (push.provider !== device.provider) return undefined;
  if (isVoipPrid(push)) {
    return device.voipToken === push.prid
      ? undefined
      : { token: device.token, voipToken: push.prid };
  }
  return device.token === push.prid ? undefined : { token: push.prid };
}
