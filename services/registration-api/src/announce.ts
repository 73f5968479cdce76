// Announcing a written change on the owning shard's subject. The write is already committed: a
// bus failure is logged and swallowed, and the shard reads the row when it loads its prefixes.
import type { Bus } from '@sipwake/bus';
import { DeviceEvent, encodeMessage, InstanceChange, subjects } from '@sipwake/contracts';
import type { ApiLog } from './types.js';

export function announceInstance(bus: Bus, log: ApiLog, change: InstanceChange): void {
  try {
    bus.publish(subjects.shardInstance(change.selector), encodeMessage(InstanceChange, change));
  } catch (error) {
    log.warn(
      { err: error, selector: change.selector, change: change.change },
      'instance change not announced; the shard reads it when it loads',
    );
  }
}

export function announceDevice(bus: Bus, log: ApiLog, event: DeviceEvent): void {
  try {
    bus.publish(subjects.shardDevice(event.selector), encodeMessage(DeviceEvent, event));
  } catch (error) {
    log.warn({ err: error, selector: event.selector }, 'device event not announced');
  }
}
