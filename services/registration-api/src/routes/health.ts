// /healthz: the process answers. /readyz: PostgreSQL answers and the bus is connected.
import type { FastifyInstance } from 'fastify';
import { HealthReply } from '../schemas.js';
import type { BuildApiOptions } from '../types.js';

export function healthRoutes(app: FastifyInstance, options: BuildApiOptions): void {
  const { db, bus } = options;
  const hide = { hide: true, response: { 200: HealthReply, 503: HealthReply } };
  app.get('/healthz', { schema: hide, config: { rateLimit: false } }, async () => ({
    status: 'up',
  }));
  app.get('/readyz', { schema: hide, config: { rateLimit: false } }, async (_request, reply) => {
    const dbUp = await db.ping().then(
      () => true,
      () => false,
    );
    if (dbUp && bus.isHealthy()) return { status: 'ready' };
    return reply.status(503).send({ status: dbUp ? 'bus-unavailable' : 'database-unavailable' });
  });
}
