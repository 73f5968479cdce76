// The words sipwake adds to the responses of a call it wakes a device for (DESIGN.md "Calls,
// step by step"): each 180's `X-Sipwake-Push-Status` and each 480's `X-Sipwake-Reason`.

export const PUSH_STATUS_HEADER = 'X-Sipwake-Push-Status';
export const REASON_HEADER = 'X-Sipwake-Reason';

export const PushStatus = {
  /** The first 180: a push to every device of the instance is on its way. */
  AlertingDevice: 'Alerting-Device',
  /** The push provider accepted the push for at least one device. */
  PushNotificationSent: 'Push-Notification-Sent',
  /** A device said it is about to answer, or registered on the device side. */
  DeviceMakingProgress: 'Device-Making-Progress',
} as const;
export type PushStatus = (typeof PushStatus)[keyof typeof PushStatus];

export const WakeFailure = {
  /** T1 ran out: no device reacted to the push. */
  NoResponseFromDevice: 'No-Response-From-Device',
  /** T2 ran out: a device made progress but did not answer. */
  DeviceDidNotAnswer: 'Device-Did-Not-Answer',
  /** The instance has no device to push to. */
  NoDevice: 'No-Device',
  /** No push could be delivered (every device refused, or the push service failed). */
  PushFailed: 'Push-Failed',
} as const;
export type WakeFailure = (typeof WakeFailure)[keyof typeof WakeFailure];
