// One push request → one result per device: every device sent to at once (each provider
// bounded by its limiter), each send retried within the request's deadline, each in its own
// span, counted by provider and outcome, and logged with a short hash of the device token.
import { createHash } from 'node:crypto';
import { PushOutcome } from '@sipwake/contracts';
import type { PushDevice, PushRequest, PushResult } from '@sipwake/contracts';
import type { SipwakeMetrics, Tracing } from '@sipwake/telemetry';
import type { Clock } from './clock.js';
import type { ProviderError } from './errors.js';
import { PushErrorCode } from './errors.js';
import type { Limiter } from './limiter.js';
import { withRetries, type RetryPolicy, type Sleeper } from './retry.js';
import type { PushSender } from './sender.js';
import type { PushLog } from './types.js';

export interface DispatchContext {
  readonly senders: ReadonlyMap<string, { sender: PushSender; limiter: Limiter }>;
  readonly clock: Clock;
  readonly sleeper: Sleeper;
  readonly random: () => number;
  readonly policy: RetryPolicy;
  readonly deadlineMs: number;
  readonly requestTimeoutMs: number;
  readonly log: PushLog;
  readonly tracing?: Tracing;
  readonly metrics?: SipwakeMetrics;
}

/** Enough to tell two devices apart in a log, never the token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

function resultOf(deviceId: string, error: ProviderError | undefined): PushResult {
  if (error === undefined) return { deviceId, outcome: PushOutcome.Sent };
  return {
    deviceId,
    outcome: error.outcome,
    detail: error.reason.slice(0, 256),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: Math.round(error.retryAfterMs) }),
  };
}

async function pushOne(
  context: DispatchContext,
  request: PushRequest,
  device: PushDevice,
  deadlineAt: number,
): Promise<PushResult> {
  const entry = context.senders.get(device.provider);
  const fields = {
    selector: request.selector,
    callId: request.callId,
    deviceId: device.deviceId,
    provider: device.provider,
    type: request.type,
    tokenHash: tokenHash(
      request.type === 'call' && device.voipToken ? device.voipToken : device.token,
    ),
  };
  if (entry === undefined) {
    context.log.warn(fields, 'push for a provider this notifier has no credentials for');
    return {
      deviceId: device.deviceId,
      outcome: PushOutcome.ProviderError,
      detail: PushErrorCode.ProviderNotConfigured,
    };
  }
  const { sender, limiter } = entry;
  let failure: ProviderError | undefined;
  try {
    await withRetries(
      () =>
        limiter.run(() => {
          const left = deadlineAt - context.clock.now();
          return sender.send(
            request,
            device,
            Math.max(1, Math.min(context.requestTimeoutMs, left)),
          );
        }),
      {
        clock: context.clock,
        sleeper: context.sleeper,
        random: context.random,
        policy: context.policy,
        deadlineAt,
        provider: sender.provider,
        onRetry: (error, delayMs, attempt) =>
          context.log.info(
            { ...fields, status: error.status, reason: error.reason, delayMs, attempt },
            'push will be retried',
          ),
      },
    );
  } catch (error) {
    failure = error as ProviderError;
  }
  const result = resultOf(device.deviceId, failure);
  context.metrics?.push(result.outcome, device.provider);
  if (failure === undefined) context.log.debug(fields, 'push sent');
  else if (failure.code === PushErrorCode.ProviderAuthFailed) {
    context.log.error(
      { ...fields, code: failure.code, status: failure.status, reason: failure.reason },
      'provider refused the credentials twice: check the key, key id and team id',
    );
  } else {
    const level = failure.outcome === PushOutcome.ProviderError ? 'warn' : 'info';
    context.log[level](
      {
        ...fields,
        outcome: result.outcome,
        code: failure.code,
        status: failure.status,
        reason: failure.reason,
      },
      'push not sent',
    );
  }
  return result;
}

/** Sends a request's pushes; resolves with one result per device, in the request's order. */
export function dispatch(context: DispatchContext, request: PushRequest): Promise<PushResult[]> {
  const deadlineAt = context.clock.now() + context.deadlineMs;
  return Promise.all(
    request.devices.map((device) => {
      const work = (): Promise<PushResult> => pushOne(context, request, device, deadlineAt);
      if (context.tracing === undefined) return work();
      return context.tracing.withSpan(
        'push.send',
        {
          'push.provider': device.provider,
          'push.type': request.type,
          'push.device_id': device.deviceId,
          selector: request.selector,
          ...(request.callId === undefined ? {} : { 'sip.call_id': request.callId }),
        },
        async (span) => {
          const result = await work();
          span.setAttribute('push.outcome', result.outcome);
          if (result.detail !== undefined) span.setAttribute('push.detail', result.detail);
          return result;
        },
      );
    }),
  );
}
