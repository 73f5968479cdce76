// @sipwake/router: the SIP edge. Finds the selector of each message and forwards it to the
// owning shard over the bus; sends what agents ask from its own sockets.
export { createRouter } from './router.js';
export type { Router, RouterDeps, RouterLog, RouterStopReason } from './types.js';
export { settingsDefaults } from './settings.js';
export type { RouterSettings } from './settings.js';
export { configSchema, settingsOf } from './config.js';
export { routerService } from './service.js';
export type { RouterConfigFile } from './config.js';
export { parseListen } from './listen.js';
export { createRouterMetrics, noMetrics, RouterMetricName } from './metrics.js';
export type { DropReason, MessageKind, OutKind, RouterMetrics } from './metrics.js';
export { RouterError, RouterErrorCode } from './errors.js';
