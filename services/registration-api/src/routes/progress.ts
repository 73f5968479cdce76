// POST /v1/instances/{selector}/calls/{callId}/progress: the woken device says it is about to
// answer (DESIGN.md "Calls, step by step", 3: the agent answers 180 Device-Making-Progress and
// swaps timer T1 for T2). The event is only worth anything while the call rings, so it is not
// stored: with the bus down the answer is 503 with Retry-After, and the app asks again.
import type { FastifyInstance } from 'fastify';
import { DeviceEvent, encodeMessage, subjects } from '@sipwake/contracts';
import { instanceGuard } from '../auth.js';
import { ApiError, ApiErrorCode } from '../errors.js';
import { touchDevice } from '../message-store.js';
import { CallParams, ErrorBody, ProgressBody } from '../schemas.js';
import type { BuildApiOptions, Clock } from '../types.js';

/** How long an app waits before asking again while the bus is down. */
export const BUS_RETRY_AFTER_SECONDS = 2;
const MAX_CALL_ID_LENGTH = 256;
const systemClock: Clock = { now: () => Date.now() };

function busUnavailable(cause?: unknown): ApiError {
  return new ApiError(ApiErrorCode.BusUnavailable, 'the shard cannot be told now; retry later', {
    retryAfterSeconds: BUS_RETRY_AFTER_SECONDS,
    cause,
  });
}

export function progressRoute(app: FastifyInstance, options: BuildApiOptions): void {
  const { db, bus, log } = options;
  const clock = options.clock ?? systemClock;
  app.post<{ Params: CallParams; Body: ProgressBody }>(
    '/v1/instances/:selector/calls/:callId/progress',
    {
      preValidation: instanceGuard(db),
      schema: {
        summary: 'The device is about to answer this call (stops the wake-up timer T1)',
        security: [{ instanceToken: [] }],
        params: CallParams,
        body: ProgressBody,
        response: { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const { selector, callId } = request.params;
      const { deviceId } = request.body;
      if (callId.length === 0 || callId.length > MAX_CALL_ID_LENGTH) {
        throw new ApiError(ApiErrorCode.InvalidBody, 'the call id is 1 to 256 characters', {
          field: '/callId',
        });
      }
      if (!bus.isHealthy()) throw busUnavailable();
      if (!(await touchDevice(db, selector, deviceId))) {
        throw new ApiError(ApiErrorCode.NotFound, 'no such device for this instance');
      }
      const event: DeviceEvent = {
        type: 'about-to-answer',
        selector,
        deviceId,
        callId,
        at: clock.now(),
      };
      try {
        bus.publish(subjects.shardDevice(selector), encodeMessage(DeviceEvent, event));
      } catch (error) {
        log.warn({ err: error, selector, callId }, 'about-to-answer not published');
        throw busUnavailable(error);
      }
      log.info({ selector, callId, deviceId }, 'about to answer');
      return reply.status(202).send();
    },
  );
}
