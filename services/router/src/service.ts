// The router as a service of a sipwake process: its own settings, the TLS files read once, and
// the shared bus and telemetry from the host.
import { readFileSync } from 'node:fs';
import type { RunningService, ServiceDefinition, ServiceHost } from '@sipwake/runtime';
import { configSchema, settingsOf, type RouterConfigFile } from './config.js';
import { RouterError, RouterErrorCode } from './errors.js';
import { createRouterMetrics } from './metrics.js';
import { createRouter } from './router.js';
import type { RouterSettings } from './settings.js';

function readTls(config: RouterConfigFile): RouterSettings['tls'] {
  if (config.tls.certFile === '' && config.tls.keyFile === '') return undefined;
  try {
    return { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) };
  } catch (error) {
    throw new RouterError(
      RouterErrorCode.TlsFilesUnreadable,
      'SIPWAKE_TLS_CERT_FILE / SIPWAKE_TLS_KEY_FILE cannot be read',
      { cause: error },
    );
  }
}

async function start(host: ServiceHost, config: RouterConfigFile): Promise<RunningService> {
  const routerId = config.router.id || `router-${host.processId}`;
  const settings = settingsOf(config, routerId, readTls(config));
  if (settings.listen.some((l) => l.protocol === 'tls' || l.protocol === 'wss') && !settings.tls) {
    throw new RouterError(
      RouterErrorCode.TlsFilesUnreadable,
      'a tls/wss listener needs SIPWAKE_TLS_CERT_FILE and SIPWAKE_TLS_KEY_FILE',
    );
  }
  const router = createRouter({
    bus: host.bus,
    config: settings,
    log: host.log,
    tracing: host.telemetry,
    metrics: createRouterMetrics(host.telemetry),
  });
  await router.start();
  const endpoints = router.listening().map((l) => ({
    name: `sip ${l.protocol}`,
    url: `${l.protocol}://${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port}`,
  }));
  return {
    endpoints,
    stop: async () => {
      await router.stop();
    },
  };
}

export const routerService: ServiceDefinition<typeof configSchema> = {
  name: 'router',
  configSchema,
  start,
};
