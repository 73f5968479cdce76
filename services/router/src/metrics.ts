// What the router counts: messages in and out by kind, the answers it gives itself (200 to a
// keep-alive OPTIONS, 400, 404, 503), what it drops and why, and the shard ack latency.
import type { BusRequestOutcome, Telemetry } from '@sipwake/telemetry';

export const RouterMetricName = {
  /** Counter, labels `kind` (request/response) and `transport`. */
  MessagesIn: 'sipwake.router.messages.in',
  /** Counter, label `kind`: forwarded to a shard (request/response) or sent for an agent (send). */
  MessagesOut: 'sipwake.router.messages.out',
  /** Counter, label `status`: responses the router answered itself. */
  Answers: 'sipwake.router.answers',
  /** Counter, label `reason`: messages dropped. */
  Dropped: 'sipwake.router.dropped',
} as const;

export type MessageKind = 'request' | 'response';
export type OutKind = 'request' | 'response' | 'send' | 'send-failed';
export type DropReason =
  | 'unparseable'
  | 'response-without-selector'
  | 'ack-without-selector'
  | 'shard-timeout'
  | 'shard-refused'
  | 'answer-failed'
  | 'publish-failed';

export interface RouterMetrics {
  received(kind: MessageKind, transport: string): void;
  out(kind: OutKind): void;
  answered(status: number): void;
  dropped(reason: DropReason): void;
  /** How long a shard took to ack a forwarded request (or to fail). */
  forwardAck(durationMs: number, outcome: BusRequestOutcome): void;
}

export const noMetrics: RouterMetrics = {
  received() {},
  out() {},
  answered() {},
  dropped() {},
  forwardAck() {},
};

export function createRouterMetrics(
  telemetry: Pick<Telemetry, 'meter' | 'metrics'>,
): RouterMetrics {
  const { meter } = telemetry;
  const messagesIn = meter.createCounter(RouterMetricName.MessagesIn, {
    description: 'SIP messages received by kind and transport',
  });
  const messagesOut = meter.createCounter(RouterMetricName.MessagesOut, {
    description: 'SIP messages forwarded to shards or sent for agents',
  });
  const answers = meter.createCounter(RouterMetricName.Answers, {
    description: 'Responses the router sent itself, by status',
  });
  const dropped = meter.createCounter(RouterMetricName.Dropped, {
    description: 'SIP messages dropped, by reason',
  });
  return {
    received: (kind, transport) => messagesIn.add(1, { kind, transport }),
    out: (kind) => messagesOut.add(1, { kind }),
    answered: (status) => answers.add(1, { status: String(status) }),
    dropped: (reason) => dropped.add(1, { reason }),
    forwardAck: (durationMs, outcome) =>
      telemetry.metrics.busRequest(durationMs, { operation: 'sip-forward', outcome }),
  };
}
