// The durable half of an expiry: `ExpireInstance` on the expire subject (queue state-persister),
// answered with `ExpireAck` after COMMIT. A bus failure or an error reply becomes AgentError
// EXPIRE_FAILED; the caller retries (the request is idempotent: a resend finds the row `gone`).
import type { Bus } from '@sipwake/bus';
import {
  decodeReply,
  encodeMessage,
  ExpireAck,
  ExpireInstance,
  subjects,
} from '@sipwake/contracts';
import type { ExpireOutcome } from '@sipwake/contracts';
import { injectTraceContext } from '@sipwake/telemetry';
import { AgentError, AgentErrorCode } from '../errors.js';

export interface ExpiryStore {
  /** Deletes the instance if the store has nothing newer. Rejects with AgentError EXPIRE_FAILED. */
  expire(request: ExpireInstance): Promise<ExpireOutcome>;
}

export interface ExpiryStoreOptions {
  readonly bus: Bus;
  readonly timeoutMs: number;
}

export function createExpiryStore(options: ExpiryStoreOptions): ExpiryStore {
  return {
    async expire(request) {
      const subject = subjects.stateExpire;
      const data = encodeMessage(ExpireInstance, request, { subject });
      let reply;
      try {
        reply = await options.bus.request(subject, data, {
          timeoutMs: options.timeoutMs,
          headers: injectTraceContext({}),
        });
      } catch (error) {
        throw new AgentError(AgentErrorCode.ExpireFailed, 'expire request failed on the bus', {
          cause: error,
          retryable: true,
          selector: request.selector,
        });
      }
      try {
        const decoded = decodeReply(ExpireAck, reply.data, { subject });
        if (decoded.ok) return decoded.value.outcome;
        throw new AgentError(
          AgentErrorCode.ExpireFailed,
          `state-persister answered ${decoded.error.code}`,
          { retryable: decoded.error.retryable, selector: request.selector },
        );
      } catch (error) {
        if (error instanceof AgentError) throw error;
        throw new AgentError(AgentErrorCode.ExpireFailed, 'expire reply not understood', {
          cause: error,
          retryable: true,
          selector: request.selector,
        });
      }
    },
  };
}
