// A router for tests: silent, listening on one loopback UDP port unless told otherwise, and
// stopping at once (no 503 grace); a test names its id and only what it is about.
import { createRouter } from '../router.js';
import type { RouterSettings } from '../settings.js';
import { settingsDefaults } from '../settings.js';
import type { Router, RouterDeps, RouterLog } from '../types.js';

export const silentLog: RouterLog = { debug() {}, info() {}, warn() {}, error() {} };

export interface TestRouterDeps extends Omit<RouterDeps, 'config' | 'log'> {
  readonly config: Partial<RouterSettings> & Pick<RouterSettings, 'routerId'>;
  readonly log?: RouterLog;
}

export function createTestRouter({ config, log, ...deps }: TestRouterDeps): Router {
  return createRouter({
    ...deps,
    log: log ?? silentLog,
    config: {
      ...settingsDefaults,
      listen: [{ protocol: 'udp', address: '127.0.0.1', port: 0 }],
      stopGraceMs: 0,
      ...config,
    },
  });
}
