// PATCH /v1/instances/{selector}: change the account's password, registrar, outbound proxy,
// transport, requested expiry or mode. The identity (and so the selector) never changes; the
// instance token stays valid. Written in one transaction, the version bumped, then announced
// as `changed` on the owning shard's subject, like every other write.
import type { FastifyInstance } from 'fastify';
import { instancePasswordAad, keyIdOf, sealSecret } from '@sipwake/secrets';
import { announceInstance } from '../announce.js';
import { instanceGuard, UNAUTHORIZED_MESSAGE } from '../auth.js';
import { ApiError, ApiErrorCode } from '../errors.js';
import { patchInstance } from '../patch-store.js';
import type { InstancePatch } from '../patch-store.js';
import { ErrorBody, InstancePatchBody, InstanceView, SelectorParams } from '../schemas.js';
import type { BuildApiOptions } from '../types.js';
import { instanceView } from '../view.js';

const IDENTITY_FIELDS = ['username', 'authUsername', 'domain'] as const;

/** The body as a patch: the identity refused, an empty patch refused, the password sealed. */
function patchOf(body: InstancePatchBody, seal: (password: string) => Uint8Array): InstancePatch {
  const account = body.account ?? {};
  for (const name of IDENTITY_FIELDS) {
    if (account[name] !== undefined) {
      throw new ApiError(
        ApiErrorCode.InvalidBody,
        `/account/${name} cannot change: it names the instance; hand the other account over instead`,
        { field: `/account/${name}` },
      );
    }
  }
  const sealed = account.password === undefined ? undefined : seal(account.password);
  const patch: InstancePatch = {
    ...(sealed === undefined ? {} : { password: { sealed, keyId: keyIdOf(sealed) } }),
    ...(account.registrar === undefined ? {} : { registrar: account.registrar }),
    ...(account.outboundProxy === undefined ? {} : { outboundProxy: account.outboundProxy }),
    ...(account.transport === undefined ? {} : { transport: account.transport }),
    ...(account.expiresSeconds === undefined ? {} : { expiresSeconds: account.expiresSeconds }),
    ...(body.mode === undefined ? {} : { mode: body.mode }),
  };
  if (Object.keys(patch).length === 0) {
    throw new ApiError(ApiErrorCode.InvalidBody, 'the body changes nothing', { field: '/' });
  }
  return patch;
}

export function patchRoute(app: FastifyInstance, options: BuildApiOptions): void {
  const { db, bus, keyRing, log, config } = options;
  app.patch<{ Params: SelectorParams; Body: InstancePatchBody }>(
    '/v1/instances/:selector',
    {
      // The token is checked before the body, so a stranger gets the 401, never a 400.
      preValidation: instanceGuard(db),
      schema: {
        summary:
          "Change an instance's password, registrar, outbound proxy, transport, expiry or mode",
        security: [{ instanceToken: [] }],
        params: SelectorParams,
        body: InstancePatchBody,
        response: { 200: InstanceView, 400: ErrorBody, 401: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      const { selector } = request.params;
      const patch = patchOf(request.body, (password) =>
        sealSecret(keyRing, password, { aad: instancePasswordAad(selector) }),
      );
      const found = await patchInstance(db, selector, patch);
      if (found === undefined) {
        // Deleted between the token check and the update: the token no longer opens anything.
        throw new ApiError(ApiErrorCode.Unauthorized, UNAUTHORIZED_MESSAGE);
      }
      const version = Number(found.instance.version);
      announceInstance(bus, log, { change: 'changed', selector, version });
      log.info({ selector, version, fields: Object.keys(patch) }, 'instance changed');
      return instanceView(found, config);
    },
  );
}
