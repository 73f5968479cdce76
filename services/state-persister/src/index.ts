// @sipwake/state-persister: writes agents' checkpoint batches to PostgreSQL (ack after commit,
// idempotent by version) and serves prefix loads as pages.
export { createStatePersister } from './persister.js';
export type {
  PersisterLog,
  PersisterSettings,
  StatePersister,
  StatePersisterOptions,
} from './types.js';
export { configSchema } from './config.js';
export { statePersisterService } from './service.js';
export type { StatePersisterConfig } from './config.js';
export { PersisterError, PersisterErrorCode } from './errors.js';
export type { PersisterErrorOptions } from './errors.js';
export { newestPerSelector, writeCheckpoints } from './checkpoint-writer.js';
export { loadPage, rangesOf } from './load-query.js';
export { appendCallRecord, markTokenDead, storeMessage } from './record-writer.js';
export { takeDeviceToken } from './device-token-writer.js';
export { expireInstance } from './expire-writer.js';
export { createHealthServer } from './health-server.js';
export type { HealthServer, HealthServerOptions, MetricsHandler } from './health-server.js';
export { createReadiness, DependencyState } from './readiness.js';
export type { Readiness, ReadinessOptions, ReadinessReport } from './readiness.js';
