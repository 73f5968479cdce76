// New push data a device-side REGISTER named goes to the state-persister's device-token subject,
// so that the device row (and every later load, on any shard) holds it. The request is resent
// with the same record (idempotent by its `at`) after a failure or an unanswered try, a bounded
// number of times with a doubling wait; the agent's directory already holds the new token, so
// a lost record only costs the store a stale token until the app registers a new one again.
import type { Bus } from '@sipwake/bus';
import { decodeReply, DeviceToken, encodeMessage, RecordAck, subjects } from '@sipwake/contracts';
import type { Clock, TimerHandle } from '@sipwake/sip-stack';
import type { CallSideLog } from '../ports.js';

export interface DeviceTokenSink {
  /** Records the device's new push data; never throws (failures are logged). */
  deviceToken(record: DeviceToken): void;
  /** Clears the resend timers (a record waiting for one is dropped). Idempotent. */
  stop(): void;
}

export interface BusDeviceTokenSinkOptions {
  readonly bus: Bus;
  readonly clock: Clock;
  readonly log: CallSideLog;
  readonly timeoutMs: number;
  readonly headers?: () => Record<string, string>;
  /** The first wait before a resend, doubling (default 1 s). */
  readonly retryMs?: number;
  /** Tries at most, the first included (default 5). */
  readonly attempts?: number;
}

export const deviceTokenSinkDefaults = { retryMs: 1000, attempts: 5 } as const;

type Attempt = { readonly done: true } | { readonly done: false; readonly code: string };

export function createBusDeviceTokenSink(options: BusDeviceTokenSinkOptions): DeviceTokenSink {
  const { bus, clock, log } = options;
  const retryMs = options.retryMs ?? deviceTokenSinkDefaults.retryMs;
  const attempts = options.attempts ?? deviceTokenSinkDefaults.attempts;
  const subject = subjects.stateDeviceToken;
  const timers = new Set<TimerHandle>();
  let stopped = false;

  // Fields for logs: never the token.
  const fieldsOf = (r: DeviceToken) => ({ selector: r.selector, deviceId: r.deviceId });

  const tryOnce = async (record: DeviceToken): Promise<Attempt> => {
    try {
      const reply = await bus.request(subject, encodeMessage(DeviceToken, record, { subject }), {
        timeoutMs: options.timeoutMs,
        headers: options.headers?.() ?? {},
      });
      const decoded = decodeReply(RecordAck, reply.data, { subject });
      if (decoded.ok) {
        log.debug({ ...fieldsOf(record), outcome: decoded.value.outcome }, 'device token recorded');
        return { done: true };
      }
      if (!decoded.error.retryable) {
        log.warn({ ...fieldsOf(record), code: decoded.error.code }, 'device token refused');
        return { done: true };
      }
      return { done: false, code: decoded.error.code };
    } catch (error) {
      // No persister, a timeout, a bus failure or an undecodable reply: worth another try.
      const code = (error as { code?: unknown } | null)?.code;
      return { done: false, code: typeof code === 'string' ? code : 'unknown' };
    }
  };

  const send = async (record: DeviceToken, attempt: number): Promise<void> => {
    const result = await tryOnce(record);
    if (result.done || stopped) return;
    if (attempt >= attempts) {
      log.warn(
        { ...fieldsOf(record), code: result.code, attempts },
        'device token not recorded: the store keeps the old one',
      );
      return;
    }
    log.info({ ...fieldsOf(record), code: result.code, attempt }, 'device token not recorded yet');
    const handle = clock.setTimeout(
      () => {
        timers.delete(handle);
        void send(record, attempt + 1);
      },
      retryMs * 2 ** (attempt - 1),
    );
    timers.add(handle);
  };

  return {
    deviceToken(record) {
      if (stopped) return;
      void send(record, 1);
    },
    stop() {
      stopped = true;
      for (const handle of timers) clock.clearTimeout(handle);
      timers.clear();
    },
  };
}
