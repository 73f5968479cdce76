// The instruments operators watch, defined once: every service records through these, so a
// dashboard's names and labels are the same everywhere. OpenTelemetry names (dots) become
// Prometheus names with underscores and `_total` for counters; histograms carry their unit in
// the name (`_seconds`), as Prometheus expects, since the exporter does not append it.
import type { Attributes, Meter, ObservableResult } from '@opentelemetry/api';

export const MetricName = {
  /** Gauge, label `state` (and `shard` when given): instances per state. */
  Instances: 'sipwake.instances',
  /** Counter, label `shard` when given: REGISTER requests sent to registrars. */
  RegistrationsSent: 'sipwake.registrations.sent',
  /** Counter, label `code` (the final response code, or `timeout`): registrations that failed. */
  RegistrationsFailed: 'sipwake.registrations.failed',
  /** Counter, labels `provider` and `outcome`: pushes by outcome. */
  Pushes: 'sipwake.pushes',
  /** Histogram in seconds, labels `operation` and `outcome`: bus request latency. */
  BusRequestDuration: 'sipwake.bus.request.seconds',
  /** Histogram in seconds: from a state change to its checkpoint being committed. */
  CheckpointLag: 'sipwake.checkpoint.lag.seconds',
} as const;

export type MetricName = (typeof MetricName)[keyof typeof MetricName];

export interface InstanceCount {
  readonly state: string;
  readonly count: number;
  readonly shard?: string;
}

export type BusRequestOutcome = 'ok' | 'timeout' | 'no-responders' | 'error';

export interface SipwakeMetrics {
  /** Feeds the instances gauge from a callback read at each scrape; returns the unsubscribe. */
  observeInstances(source: () => readonly InstanceCount[]): () => void;
  registrationSent(attributes?: { shard?: string }): void;
  registrationFailed(code: number | 'timeout', attributes?: { shard?: string }): void;
  push(outcome: string, provider: string): void;
  busRequest(
    durationMs: number,
    attributes: { operation: string; outcome: BusRequestOutcome },
  ): void;
  checkpointLag(lagMs: number): void;
}

const latencyBucketsS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const lagBucketsS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

function withShard(attributes: Attributes, shard: string | undefined): Attributes {
  return shard === undefined ? attributes : { ...attributes, shard };
}

export function createSipwakeMetrics(meter: Meter): SipwakeMetrics {
  const instances = meter.createObservableGauge(MetricName.Instances, {
    description: 'Instances per state',
  });
  const sent = meter.createCounter(MetricName.RegistrationsSent, {
    description: 'REGISTER requests sent to registrars',
  });
  const failed = meter.createCounter(MetricName.RegistrationsFailed, {
    description: 'Registrations that failed, by final response code',
  });
  const pushes = meter.createCounter(MetricName.Pushes, { description: 'Pushes by outcome' });
  const busRequest = meter.createHistogram(MetricName.BusRequestDuration, {
    description: 'Bus request latency',
    unit: 's',
    advice: { explicitBucketBoundaries: latencyBucketsS },
  });
  const checkpointLag = meter.createHistogram(MetricName.CheckpointLag, {
    description: 'Time from a state change to its committed checkpoint',
    unit: 's',
    advice: { explicitBucketBoundaries: lagBucketsS },
  });

  return {
    observeInstances(source) {
      const callback = (result: ObservableResult): void => {
        for (const row of source())
          result.observe(row.count, withShard({ state: row.state }, row.shard));
      };
      instances.addCallback(callback);
      return () => instances.removeCallback(callback);
    },
    registrationSent: (attributes = {}) => sent.add(1, withShard({}, attributes.shard)),
    registrationFailed: (code, attributes = {}) =>
      failed.add(1, withShard({ code: String(code) }, attributes.shard)),
    push: (outcome, provider) => pushes.add(1, { outcome, provider }),
    busRequest: (durationMs, attributes) => busRequest.record(durationMs / 1000, { ...attributes }),
    checkpointLag: (lagMs) => checkpointLag.record(lagMs / 1000),
  };
}
