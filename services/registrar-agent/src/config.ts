// The agent's settings, read by the sipwake process through @sipwake/config (SIPWAKE_* variables or YAML),
// validated once and frozen. `AgentSettings` is the flat, unit-named slice the agent runs on.
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { sharedSipSettings } from '@sipwake/contracts';
import type { TransportProtocol } from '@sipwake/sip-stack';
import type { CallSideConfig } from './ports.js';

const Transport = Type.Union(
  [
    Type.Literal('udp'),
    Type.Literal('tcp'),
    Type.Literal('tls'),
    Type.Literal('ws'),
    Type.Literal('wss'),
  ],
  { default: 'udp', description: 'transport of the public SIP address' },
);

const ms = (defaultMs: number, description: string, minimum = 1) =>
  Type.Integer({ minimum, default: defaultMs, description });

export const configSchema = Type.Object({
  bus: Type.Object({
    requestTimeoutMs: ms(5000, 'bound for a bus request (load, checkpoint, push)'),
  }),
  shard: Type.Object({
    name: Type.String({
      pattern: '^[A-Za-z0-9_-]{1,64}$',
      default: 'main',
      description: 'unique shard name',
    }),
    prefixes: Type.Array(Type.String({ pattern: '^[0-9a-fA-F]{1,40}(/[0-9]{1,3})?$' }), {
      minItems: 1,
      default: ['0/0'],
      description: 'selector prefixes this shard owns (HEX/BITS)',
    }),
  }),
  sip: Type.Object({
    ...sharedSipSettings,
    publicHost: Type.String({
      minLength: 1,
      default: '127.0.0.1',
      description: "the routers' public SIP host (Contact, Record-Route)",
    }),
    publicPort: Type.Integer({
      minimum: 1,
      maximum: 65535,
      default: 5060,
      description: "the routers' public SIP port",
    }),
    publicTransport: Transport,
    direct: Type.Boolean({
      default: false,
      description: 'send and receive SIP on own sockets instead of through routers over the bus',
    }),
    listenAddress: Type.String({
      minLength: 1,
      default: '127.0.0.1',
      description: 'direct transport only: the address the agent listens on',
    }),
    listenPort: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 0,
      description: 'direct transport only: the port (0 = any free port)',
    }),
    realm: Type.String({
      minLength: 1,
      default: 'sipwake',
      description: 'digest realm of the device side',
    }),
  }),
  registration: Type.Object({
    perSecond: Type.Number({
      exclusiveMinimum: 0,
      default: 50,
      description: 'most new REGISTERs sent per second',
    }),
    defaultExpiresS: Type.Integer({
      minimum: 60,
      default: 3600,
      description: 'expiry asked for when the account names none',
    }),
    refreshMarginMs: ms(60_000, 'refresh this long before the binding expires'),
    backoffMinMs: ms(5_000, 'first back-off after a failure'),
    backoffMaxMs: ms(600_000, 'longest back-off'),
    errorAfterFailures: Type.Integer({
      minimum: 1,
      default: 3,
      description: 'failures in a row that make the state Error',
    }),
    unauthorizedRetryMs: ms(3_600_000, 'retry after credentials were refused'),
    takeoverDelayMs: ms(60_000, 'background time of every device before sipwake registers', 0),
    foregroundSilentMs: ms(3_600_000, 'a foreground device silent this long counts as background'),
  }),
  calls: Type.Object({
    wakeT1Ms: ms(120_000, 'T1: wait for a device after the push'),
    wakeT2Ms: ms(120_000, 'T2: wait after "about to answer"'),
    dialogIdleMs: ms(4 * 3_600_000, 'a proxied dialog without requests this long is forgotten'),
    maxDialogs: Type.Integer({
      minimum: 1,
      default: 100_000,
      description: 'proxied dialogs kept at once (beyond it the oldest is forgotten)',
    }),
  }),
  device: Type.Object({
    maxExpiresS: Type.Integer({
      minimum: 1,
      maximum: 86_400,
      default: 300,
      description: 'longest device-side binding granted to a woken app',
    }),
    defaultExpiresS: Type.Integer({
      minimum: 1,
      maximum: 86_400,
      default: 120,
      description:
        'device-side binding for a REGISTER that names no expiry (capped by the longest)',
    }),
  }),
  checkpoint: Type.Object({
    maxBatchRows: Type.Integer({
      minimum: 1,
      maximum: 10_000,
      default: 500,
      description: 'most rows in one checkpoint batch',
    }),
    intervalMs: ms(1_000, 'how long a changed row waits to be batched'),
    retryMs: ms(5_000, 'first wait before unacknowledged batches are sent again (doubles)'),
    retryMaxMs: ms(60_000, 'longest wait between resends of unacknowledged batches'),
    maxUnackedBatches: Type.Integer({
      minimum: 1,
      maximum: 1000,
      default: 8,
      description: 'batches sent and not yet acknowledged at most (more rows wait, coalescing)',
    }),
    warnPendingRows: Type.Integer({
      minimum: 1,
      default: 100_000,
      description: 'a checkpoint backlog above this many rows is logged (nothing is dropped)',
    }),
  }),
  load: Type.Object({
    pageInstances: Type.Integer({
      minimum: 1,
      maximum: 10_000,
      default: 500,
      description: 'instances asked for per load page',
    }),
  }),
  expiry: Type.Object({
    maxAgeMs: ms(
      7 * 24 * 3_600_000,
      'an instance not heard from this long is unregistered and deleted',
    ),
    warningsBeforeMs: Type.Array(Type.Integer({ minimum: 1 }), {
      maxItems: 8,
      default: [43_200_000, 3_600_000],
      description: 'warning pushes this long before the end, longest first',
    }),
    retryMs: ms(60_000, 'wait before an unanswered expiry request is sent again'),
    concurrency: Type.Integer({
      minimum: 1,
      maximum: 1000,
      default: 16,
      description: 'expiry requests in flight at most',
    }),
  }),
});
export type AgentConfigFile = Static<typeof configSchema>;

/** What the agent runs on: flat, units in the names, frozen. */
export interface AgentSettings extends CallSideConfig {
  readonly prefixes: readonly string[];
  readonly busRequestTimeoutMs: number;
  readonly registrationsPerSecond: number;
  readonly defaultExpiresS: number;
  readonly refreshMarginMs: number;
  readonly backoffMinMs: number;
  readonly backoffMaxMs: number;
  readonly errorAfterFailures: number;
  readonly unauthorizedRetryMs: number;
  readonly takeoverDelayMs: number;
  readonly foregroundSilentMs: number;
  readonly checkpointMaxBatchRows: number;
  readonly checkpointIntervalMs: number;
  readonly checkpointRetryMs: number;
  readonly checkpointRetryMaxMs: number;
  readonly checkpointMaxUnackedBatches: number;
  readonly checkpointWarnPendingRows: number;
  readonly loadPageInstances: number;
  readonly maxAgeMs: number;
  readonly warningsBeforeMs: readonly number[];
  readonly expiryRetryMs: number;
  readonly expiryConcurrency: number;
  readonly maxDeviceExpiresS: number;
  readonly defaultDeviceExpiresS: number;
  readonly dialogIdleMs: number;
  readonly maxDialogs: number;
}

/** The defaults of every setting, for tests and the embedded default. */
export const settingsDefaults: Omit<AgentSettings, 'shard'> = Object.freeze({
  prefixes: ['0/0'],
  realm: 'sipwake',
  wakeT1Ms: 120_000,
  wakeT2Ms: 120_000,
  maxMessageBytes: 65_535,
  publicHost: '127.0.0.1',
  publicPort: 5060,
  publicTransport: 'udp' as TransportProtocol,
  sipHost: 'sipwake.local',
  hostPrefixLength: 0,
  busRequestTimeoutMs: 5000,
  registrationsPerSecond: 50,
  defaultExpiresS: 3600,
  refreshMarginMs: 60_000,
  backoffMinMs: 5_000,
  backoffMaxMs: 600_000,
  errorAfterFailures: 3,
  unauthorizedRetryMs: 3_600_000,
  takeoverDelayMs: 60_000,
  foregroundSilentMs: 3_600_000,
  checkpointMaxBatchRows: 500,
  checkpointIntervalMs: 1_000,
  checkpointRetryMs: 5_000,
  checkpointRetryMaxMs: 60_000,
  checkpointMaxUnackedBatches: 8,
  checkpointWarnPendingRows: 100_000,
  loadPageInstances: 500,
  maxAgeMs: 7 * 24 * 3_600_000,
  warningsBeforeMs: [43_200_000, 3_600_000],
  expiryRetryMs: 60_000,
  expiryConcurrency: 16,
  maxDeviceExpiresS: 300,
  defaultDeviceExpiresS: 120,
  dialogIdleMs: 4 * 3_600_000,
  maxDialogs: 100_000,
});

export function settingsOf(config: AgentConfigFile): AgentSettings {
  return Object.freeze({
    shard: config.shard.name,
    prefixes: Object.freeze([...config.shard.prefixes]),
    realm: config.sip.realm,
    wakeT1Ms: config.calls.wakeT1Ms,
    wakeT2Ms: config.calls.wakeT2Ms,
    maxMessageBytes: config.sip.maxMessageBytes,
    publicHost: config.sip.publicHost,
    publicPort: config.sip.publicPort,
    publicTransport: config.sip.publicTransport,
    sipHost: config.sip.host,
    hostPrefixLength: config.sip.hostPrefixLength,
    busRequestTimeoutMs: config.bus.requestTimeoutMs,
    registrationsPerSecond: config.registration.perSecond,
    defaultExpiresS: config.registration.defaultExpiresS,
    refreshMarginMs: config.registration.refreshMarginMs,
    backoffMinMs: config.registration.backoffMinMs,
    backoffMaxMs: config.registration.backoffMaxMs,
    errorAfterFailures: config.registration.errorAfterFailures,
    unauthorizedRetryMs: config.registration.unauthorizedRetryMs,
    takeoverDelayMs: config.registration.takeoverDelayMs,
    foregroundSilentMs: config.registration.foregroundSilentMs,
    checkpointMaxBatchRows: config.checkpoint.maxBatchRows,
    checkpointIntervalMs: config.checkpoint.intervalMs,
    checkpointRetryMs: config.checkpoint.retryMs,
    checkpointRetryMaxMs: config.checkpoint.retryMaxMs,
    checkpointMaxUnackedBatches: config.checkpoint.maxUnackedBatches,
    checkpointWarnPendingRows: config.checkpoint.warnPendingRows,
    loadPageInstances: config.load.pageInstances,
    maxAgeMs: config.expiry.maxAgeMs,
    warningsBeforeMs: Object.freeze([...config.expiry.warningsBeforeMs]),
    expiryRetryMs: config.expiry.retryMs,
    expiryConcurrency: config.expiry.concurrency,
    maxDeviceExpiresS: config.device.maxExpiresS,
    defaultDeviceExpiresS: config.device.defaultExpiresS,
    dialogIdleMs: config.calls.dialogIdleMs,
    maxDialogs: config.calls.maxDialogs,
  });
}
