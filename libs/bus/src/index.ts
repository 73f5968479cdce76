// @sipwake/bus: one interface for publish, subscribe (wildcards, queue groups), request/reply
// and headers, over NATS or in-process. Bytes and headers only: schemas sit on top elsewhere.
export { connectBus } from './connect.js';
export type { BusOptions } from './connect.js';
export { createInProcessBus } from './in-process.js';
export type { InProcessBusOptions } from './in-process.js';
export type { NatsBusOptions } from './nats.js';
export { BusError, BusErrorCode, isBusError } from './errors.js';
export { BusState } from './types.js';
export type {
  Bus,
  BusErrorListener,
  BusHeaders,
  BusKind,
  BusLog,
  BusMessage,
  BusReply,
  BusStatusEvent,
  BusStatusListener,
  MessageHandler,
  PublishOptions,
  RequestOptions,
  RespondOptions,
  SubscribeOptions,
  Subscription,
} from './types.js';
export type { BusTimers } from './timers.js';
export { subjectMatches } from './subject.js';
