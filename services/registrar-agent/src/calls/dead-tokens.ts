// Tokens a push provider declared dead (bad token, app unregistered) go to the state-persister's
// dead-token subject, so that the device is not pushed again until its app sends a new token.
// Fire and forget: a lost report costs one more wasted push, and the next one reports again.
import type { Bus } from '@sipwake/bus';
import { decodeReply, DeadToken, encodeMessage, RecordAck, subjects } from '@sipwake/contracts';
import type { CallSideLog } from '../ports.js';

export interface DeadTokenSink {
  deadToken(report: DeadToken): void;
}

export interface BusDeadTokenSinkOptions {
  readonly bus: Bus;
  readonly timeoutMs: number;
  readonly log: CallSideLog;
  readonly headers?: () => Record<string, string>;
}

export function createBusDeadTokenSink(options: BusDeadTokenSinkOptions): DeadTokenSink {
  const { bus, log } = options;
  const subject = subjects.stateDeadToken;
  const send = async (report: DeadToken): Promise<void> => {
    const fields = { selector: report.selector, deviceId: report.deviceId, reason: report.reason };
    try {
      const reply = await bus.request(subject, encodeMessage(DeadToken, report, { subject }), {
        timeoutMs: options.timeoutMs,
        headers: options.headers?.() ?? {},
      });
      const decoded = decodeReply(RecordAck, reply.data, { subject });
      if (decoded.ok)
        log.debug({ ...fields, outcome: decoded.value.outcome }, 'dead token recorded');
      else log.warn({ ...fields, code: decoded.error.code }, 'dead token not recorded');
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      log.warn(
        { ...fields, code: typeof code === 'string' ? code : 'unknown' },
        'dead token not recorded',
      );
    }
  };
  return {
    deadToken(report) {
      void send(report);
    },
  };
}
