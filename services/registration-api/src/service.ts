// The registration-api as a service of a sipwake process: its own settings (the TLS pair read
// and checked here, so a bad one stops start-up naming its variable) on the host's database,
// bus and key ring.
import type { RunningService, ServiceDefinition, ServiceHost } from '@sipwake/runtime';
import { buildApi } from './api.js';
import { configSchema, type RegistrationApiConfig } from './config.js';
import { loadTls } from './tls.js';

async function start(host: ServiceHost, config: RegistrationApiConfig): Promise<RunningService> {
  const tls = await loadTls(config.api.tls);
  const app = await buildApi({
    db: host.db,
    bus: host.bus,
    keyRing: host.keyRing,
    log: host.log,
    ...(tls === undefined ? {} : { tls }),
    config: {
      sipDomain: config.sip.host,
      hostPrefixLength: config.sip.hostPrefixLength,
      rateLimitPerMinute: config.rateLimit.perMinute,
      adminToken: config.admin.token,
    },
  });
  await app.listen({ host: config.api.host, port: config.api.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.api.port;
  const where = config.api.host.includes(':') ? `[${config.api.host}]` : config.api.host;
  const base = `${tls === undefined ? 'http' : 'https'}://${where}:${port}`;
  return {
    endpoints: [
      { name: 'api', url: `${base}/v1` },
      { name: 'docs', url: `${base}/docs` },
    ],
    // fastify's close: no new connections, requests in flight finish.
    stop: () => app.close(),
  };
}

export const registrationApiService: ServiceDefinition<typeof configSchema> = {
  name: 'registration-api',
  configSchema,
  start,
};
