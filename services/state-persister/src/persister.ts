// createStatePersister: the checkpoint consumer, the load service, the record writes (messages,
// call records, dead tokens, device tokens) and the expiry delete in the state-persister queue group (several
// persisters share the work), and a stop() that finishes what arrived.
import type { BusMessage, Subscription } from '@sipwake/bus';
import {
  CallRecord,
  DeadToken,
  DeviceToken,
  QueueGroup,
  StoreMessage,
  subjects,
} from '@sipwake/contracts';
import { checkpointHandler } from './checkpoint-consumer.js';
import { takeDeviceToken } from './device-token-writer.js';
import { expireHandler } from './expire-service.js';
import { createInFlight } from './in-flight.js';
import { loadHandler } from './load-service.js';
import { recordHandler } from './record-service.js';
import type { RecordKind } from './record-service.js';
import { appendCallRecord, markTokenDead, storeMessage } from './record-writer.js';
import { defaultSettings } from './types.js';
import type { StatePersister, StatePersisterOptions } from './types.js';

const messages: RecordKind<typeof StoreMessage> = {
  what: 'message',
  subject: subjects.stateMessage,
  schema: StoreMessage,
  write: storeMessage,
};
const callRecords: RecordKind<typeof CallRecord> = {
  what: 'call record',
  subject: subjects.stateCallRecord,
  schema: CallRecord,
  write: appendCallRecord,
};
const deadTokens: RecordKind<typeof DeadToken> = {
  what: 'dead token',
  subject: subjects.stateDeadToken,
  schema: DeadToken,
  write: markTokenDead,
};
const deviceTokens: RecordKind<typeof DeviceToken> = {
  what: 'device token',
  subject: subjects.stateDeviceToken,
  schema: DeviceToken,
  write: takeDeviceToken,
};

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
      const handlers: [string, string, (msg: BusMessage) => Promise<void>][] = [
        [subjects.stateCheckpoint, 'state.checkpoint', checkpointHandler(db, log)],
        [subjects.stateLoad, 'state.load', loadHandler(db, log, settings.maxPageInstances)],
        [subjects.stateMessage, 'state.message', recordHandler(messages, db, log)],
        [subjects.stateCallRecord, 'state.call-record', recordHandler(callRecords, db, log)],
        [subjects.stateDeadToken, 'state.dead-token', recordHandler(deadTokens, db, log)],
        [subjects.stateDeviceToken, 'state.device-token', recordHandler(deviceTokens, db, log)],
        [subjects.stateExpire, 'state.expire', expireHandler(db, log)],
      ];
      subscriptions = handlers.map(([subject, span, handler]) =>
        bus.subscribe(subject, tracked(span, handler), { queue }),
      );
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
