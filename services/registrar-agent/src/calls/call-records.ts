// One record per inbound call, written when it is over (the state-persister's call-record
// subject): an operator's call list — who called, when, whether a push was needed and how far
// it got, and how the call ended. Fire and forget: the record is idempotent by (selector,
// Call-ID), a lost one is logged.
import type { Bus } from '@sipwake/bus';
import { CallRecord, decodeReply, encodeMessage, RecordAck, subjects } from '@sipwake/contracts';
import type { CallOutcome } from '@sipwake/contracts';
import type { CallSideLog } from '../ports.js';

export interface CallRecorder {
  /** `traceHeaders`: the call's trace context (its INVITE's), so the write joins the call's trace. */
  record(record: CallRecord, traceHeaders?: Readonly<Record<string, string>>): void;
}

/** What a call knows of itself while it runs; the record is made from it at the end. */
export interface CallSummary {
  readonly selector: string;
  readonly callId: string;
  readonly caller: string | null;
  readonly startedAt: number;
  readonly pushStatus: string | null;
  /** W3C trace context of the INVITE's handling, for the record written when the call ends. */
  readonly traceHeaders?: Readonly<Record<string, string>>;
}

export function callRecord(
  summary: CallSummary,
  outcome: CallOutcome,
  times: { readonly answeredAt: number | null; readonly endedAt: number | null },
): CallRecord {
  return {
    selector: summary.selector,
    callId: summary.callId.slice(0, 256),
    direction: 'inbound',
    caller: summary.caller === null ? null : summary.caller.slice(0, 1024),
    startedAt: summary.startedAt,
    answeredAt: times.answeredAt,
    endedAt: times.endedAt,
    outcome,
    pushStatus: summary.pushStatus,
  };
}

export function createBusCallRecorder(options: {
  readonly bus: Bus;
  readonly timeoutMs: number;
  readonly log: CallSideLog;
  readonly headers?: () => Record<string, string>;
}): CallRecorder {
  const { bus, log } = options;
  const subject = subjects.stateCallRecord;
  const send = async (
    record: CallRecord,
    traceHeaders: Readonly<Record<string, string>> | undefined,
  ): Promise<void> => {
    const fields = { selector: record.selector, callId: record.callId, outcome: record.outcome };
    try {
      const reply = await bus.request(subject, encodeMessage(CallRecord, record, { subject }), {
        timeoutMs: options.timeoutMs,
        headers: { ...(traceHeaders ?? options.headers?.() ?? {}) },
      });
      const decoded = decodeReply(RecordAck, reply.data, { subject });
      if (!decoded.ok) log.warn({ ...fields, code: decoded.error.code }, 'call record not written');
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      log.warn(
        { ...fields, code: typeof code === 'string' ? code : 'unknown' },
        'call record not written',
      );
    }
  };
  return {
    record(record, traceHeaders) {
      void send(record, traceHeaders);
    },
  };
}
