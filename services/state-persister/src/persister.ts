// createStatePersister: the checkpoint consumer and the load service in the state-persister
// queue group (several persisters share the work), and a stop() that finishes what arrived.
import type { BusMessage, Subscription } from '@sipwake/bus';
import { QueueGroup, subjects } from '@sipwake/contracts';
import { checkpointHandler } from './checkpoint-consumer.js';
import { createInFlight } from './in-flight.js';
import { loadHandler } from './load-service.js';
import { defaultSettings } from './types.js';
import type { StatePersister, StatePersisterOptions } from './types.js';

export function createStatePersister(options: StatePersisterOptions): StatePersister {
  const { bus, db, log, tracing } = options;
  const settings = { ...defaultSettings, ...options.config };
  const inFlight = createInFlight();
  let subscriptions: Subscription[] = [];
  let stopping: Promise<void> | undefined;

  const tracked =
    (name: string, handler: (msg: BusMessage) => Promise<void>) =>
    (msg: BusMessage): Promise<void> =>
      inFlight.track(
        tracing === undefined
          ? handler(msg)
          : tracing.handlerSpan(name, msg.headers, () => handler(msg)),
      );

  return {
    start() {
      if (subscriptions.length > 0 || stopping !== undefined) return;
      const queue = QueueGroup.StatePersister;
      subscriptions = [
        bus.subscribe(
          subjects.stateCheckpoint,
          tracked('state.checkpoint', checkpointHandler(db, log)),
          { queue },
        ),
        bus.subscribe(
          subjects.stateLoad,
          tracked('state.load', loadHandler(db, log, settings.maxPageInstances)),
          { queue },
        ),
      ];
      log.info({ queue }, 'state-persister started');
    },
    stop() {
      stopping ??= (async () => {
        await Promise.all(subscriptions.map((s) => s.drain()));
        await inFlight.settled();
        log.info({}, 'state-persister stopped');
      })();
      return stopping;
    },
  };
}
