// buildApi: the fastify instance with its plugins (OpenAPI at /docs, rate limit per client
// address), the error shape and the routes. Nothing listens here: main.ts does, tests inject().
import { fastify } from 'fastify';
import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { installErrorHandler } from './error-handler.js';
import { ApiError, ApiErrorCode } from './errors.js';
import { adminRoutes } from './routes/admin.js';
import { handOverRoute } from './routes/hand-over.js';
import { healthRoutes } from './routes/health.js';
import { instanceRoutes } from './routes/instance.js';
import { messageRoutes } from './routes/messages.js';
import { patchRoute } from './routes/patch.js';
import { progressRoute } from './routes/progress.js';
import type { BuildApiOptions } from './types.js';

/** Largest request body: a hand-over is well under 16 KiB. */
const BODY_LIMIT_BYTES = 64 * 1024;

export async function buildApi(options: BuildApiOptions): Promise<FastifyInstance> {
  // With `https` fastify's instance is typed over https.Server; the routes use only what both
  // servers share, so it is handled as the plain type.
  const app: FastifyInstance =
    options.tls === undefined
      ? fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES })
      : (fastify({
          logger: false,
          bodyLimit: BODY_LIMIT_BYTES,
          https: { cert: options.tls.cert, key: options.tls.key },
        }) as unknown as FastifyInstance);
  installErrorHandler(app, options.log);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'sipwake registration API',
        version: '1',
        description: 'Hand over a SIP account; read, update and remove it with its instance token.',
      },
      components: {
        securitySchemes: {
          instanceToken: { type: 'http', scheme: 'bearer' },
          adminToken: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(rateLimit, {
    max: options.config.rateLimitPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: () =>
      new ApiError(ApiErrorCode.RateLimited, 'too many requests; retry later'),
  });
  healthRoutes(app, options);
  handOverRoute(app, options);
  instanceRoutes(app, options);
  patchRoute(app, options);
  progressRoute(app, options);
  messageRoutes(app, options);
  adminRoutes(app, options);
  return app;
}
