// POST /v1/instances: the hand-over. Selector from the account identity, password sealed with
// the selector as AAD, a fresh instance token (its hash replaces the previous one), instance and
// device in one transaction, then the announcement on the owning shard's subject.
import type { FastifyInstance } from 'fastify';
import { computeSelector, ContractError, InstanceMode, sipHostFor } from '@sipwake/contracts';
import { instancePasswordAad, keyIdOf, sealSecret } from '@sipwake/secrets';
import { announceInstance } from '../announce.js';
import { ApiError, ApiErrorCode } from '../errors.js';
import { ErrorBody, HandOverBody, HandOverReply } from '../schemas.js';
import { writeHandOver } from '../store.js';
import { hashToken, newInstanceToken } from '../token.js';
import type { BuildApiOptions } from '../types.js';

const DEFAULT_EXPIRES_SECONDS = 3600;

function selectorOf(account: HandOverBody['account']): string {
  try {
    return computeSelector({
      authUsername: account.authUsername ?? account.username,
      username: account.username,
      domain: account.domain,
    });
  } catch (error) {
    if (error instanceof ContractError) {
      throw new ApiError(ApiErrorCode.InvalidBody, 'the account identity is not valid', {
        field: '/account',
      });
    }
    throw error;
  }
}

export function handOverRoute(app: FastifyInstance, options: BuildApiOptions): void {
  const { db, bus, keyRing, log, config } = options;
  app.post<{ Body: HandOverBody }>(
    '/v1/instances',
    {
      schema: {
        summary: 'Hand over a SIP account and one device',
        body: HandOverBody,
        response: { 201: HandOverReply, 400: ErrorBody, 429: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const { account, device } = request.body;
      const selector = selectorOf(account);
      const passwordSealed = sealSecret(keyRing, account.password, {
        aad: instancePasswordAad(selector),
      });
      const instanceToken = newInstanceToken();
      const result = await writeHandOver(
        db,
        {
          selector,
          username: account.username,
          authUsername: account.authUsername ?? account.username,
          domain: account.domain,
          registrar: account.registrar ?? null,
          outboundProxy: account.outboundProxy ?? null,
          transport: account.transport ?? 'udp',
          expiresSeconds: account.expiresSeconds ?? DEFAULT_EXPIRES_SECONDS,
          mode: request.body.mode ?? InstanceMode.Takeover,
          passwordSealed,
          passwordKeyId: keyIdOf(passwordSealed),
          tokenHash: hashToken(instanceToken),
        },
        {
          id: device.id,
          appId: device.appId,
          platform: device.platform,
          pushProvider: device.pushProvider,
          token: device.token,
          voipToken: device.voipToken ?? null,
          topic: device.topic ?? null,
        },
      );
      announceInstance(bus, log, {
        change: result.created ? 'created' : 'changed',
        selector,
        version: result.version,
      });
      log.info({ selector, created: result.created, version: result.version }, 'hand-over');
      return reply.status(201).send({
        selector,
        instanceToken,
        sipHost: sipHostFor(selector, config.hostPrefixLength, config.sipDomain),
        state: result.state,
      });
    },
  );
}
