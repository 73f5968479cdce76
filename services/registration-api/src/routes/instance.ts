// GET and DELETE /v1/instances/:selector, PUT/DELETE of a device, a device's presence: all
// behind the instance token.
import type { FastifyInstance } from 'fastify';
import { announceDevice, announceInstance } from '../announce.js';
import { authenticate, UNAUTHORIZED_MESSAGE } from '../auth.js';
import { ApiError, ApiErrorCode } from '../errors.js';
import {
  DeviceParams,
  DevicePutBody,
  ErrorBody,
  InstanceView,
  PresenceBody,
  SelectorParams,
} from '../schemas.js';
import { deleteInstance, putDevice, readInstance, removeDevice, writePresence } from '../store.js';
import type { BuildApiOptions, Clock } from '../types.js';
import { instanceView } from '../view.js';

const systemClock: Clock = { now: () => Date.now() };
const security = [{ instanceToken: [] }];

export function instanceRoutes(app: FastifyInstance, options: BuildApiOptions): void {
  const { db, bus, log, config } = options;
  const clock = options.clock ?? systemClock;

  app.get<{ Params: SelectorParams }>(
    '/v1/instances/:selector',
    {
      schema: {
        summary: 'Read an instance (never its password)',
        security,
        params: SelectorParams,
        response: { 200: InstanceView, 401: ErrorBody },
      },
    },
    async (request) => {
      const { selector } = request.params;
      await authenticate(db, selector, request.headers.authorization);
      const found = await readInstance(db, selector);
      if (found === undefined) {
        // Deleted between the token check and the read: the token no longer opens anything.
        throw new ApiError(ApiErrorCode.Unauthorized, UNAUTHORIZED_MESSAGE);
      }
      return instanceView(found, config);
    },
  );

  app.delete<{ Params: SelectorParams }>(
    '/v1/instances/:selector',
    {
      schema: {
        summary: 'Remove an instance and its devices',
        security,
        params: SelectorParams,
        response: { 401: ErrorBody },
      },
    },
    async (request, reply) => {
      const { selector } = request.params;
      await authenticate(db, selector, request.headers.authorization);
      const version = await deleteInstance(db, selector);
      if (version !== undefined) {
        announceInstance(bus, log, { change: 'removed', selector, version: version + 1 });
        log.info({ selector }, 'instance removed');
      }
      return reply.status(204).send();
    },
  );

  app.post<{ Params: DeviceParams; Body: PresenceBody }>(
    '/v1/instances/:selector/devices/:deviceId/presence',
    {
      schema: {
        summary: "Record a device's presence (foreground/background); renews its last seen",
        security,
        params: DeviceParams,
        body: PresenceBody,
        response: { 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const { selector, deviceId } = request.params;
      await authenticate(db, selector, request.headers.authorization);
      const { presence } = request.body;
      if (!(await writePresence(db, selector, deviceId, presence))) {
        throw new ApiError(ApiErrorCode.NotFound, 'no such device for this instance');
      }
      announceDevice(bus, log, { type: 'presence', selector, deviceId, presence, at: clock.now() });
      return reply.status(204).send();
    },
  );

  app.put<{ Params: DeviceParams; Body: DevicePutBody }>(
    '/v1/instances/:selector/devices/:deviceId',
    {
      schema: {
        summary: 'Add or replace a device of the instance',
        security,
        params: DeviceParams,
        body: DevicePutBody,
        response: { 401: ErrorBody },
      },
    },
    async (request, reply) => {
      const { selector, deviceId } = request.params;
      await authenticate(db, selector, request.headers.authorization);
      if (deviceId.length === 0 || deviceId.length > 256) {
        throw new ApiError(ApiErrorCode.InvalidBody, 'the device id is 1 to 256 characters', {
          field: '/deviceId',
        });
      }
      const d = request.body;
      const version = await putDevice(db, selector, {
        id: deviceId,
        appId: d.appId,
        platform: d.platform,
        pushProvider: d.pushProvider,
        token: d.token,
        voipToken: d.voipToken ?? null,
        topic: d.topic ?? null,
      });
      if (version === undefined) {
        throw new ApiError(ApiErrorCode.Unauthorized, UNAUTHORIZED_MESSAGE);
      }
      announceInstance(bus, log, { change: 'changed', selector, version });
      return reply.status(204).send();
    },
  );

  app.delete<{ Params: DeviceParams }>(
    '/v1/instances/:selector/devices/:deviceId',
    {
      schema: {
        summary: 'Remove a device of the instance',
        security,
        params: DeviceParams,
        response: { 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const { selector, deviceId } = request.params;
      await authenticate(db, selector, request.headers.authorization);
      const version = await removeDevice(db, selector, deviceId);
      if (version === undefined) {
        throw new ApiError(ApiErrorCode.NotFound, 'no such device for this instance');
      }
      announceInstance(bus, log, { change: 'changed', selector, version });
      return reply.status(204).send();
    },
  );
}
