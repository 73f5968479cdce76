// Push requests over the bus: `PushRequest` on the push subject (queue push-notifier), the reply
// is `PushResults` or an `ErrorReply`. Either failure becomes AgentError PUSH_FAILED.
import type { Bus } from '@sipwake/bus';
import { decodeReply, encodeMessage, PushRequest, PushResults, subjects } from '@sipwake/contracts';
import { injectTraceContext } from '@sipwake/telemetry';
import { AgentError, AgentErrorCode } from '../errors.js';
import type { PushClient } from '../ports.js';

export interface PushClientOptions {
  readonly bus: Bus;
  readonly timeoutMs: number;
}

export function createPushClient(options: PushClientOptions): PushClient {
  return {
    async push(request) {
      const data = encodeMessage(PushRequest, request, { subject: subjects.push });
      let reply;
      try {
        reply = await options.bus.request(subjects.push, data, {
          timeoutMs: options.timeoutMs,
          headers: injectTraceContext({}),
        });
      } catch (error) {
        throw new AgentError(AgentErrorCode.PushFailed, 'push request failed on the bus', {
          cause: error,
          retryable: true,
          selector: request.selector,
        });
      }
      const decoded = decodeReply(PushResults, reply.data, { subject: subjects.push });
      if (!decoded.ok) {
        throw new AgentError(
          AgentErrorCode.PushFailed,
          `push-notifier answered ${decoded.error.code}`,
          { retryable: decoded.error.retryable, selector: request.selector },
        );
      }
      return decoded.value;
    },
  };
}
