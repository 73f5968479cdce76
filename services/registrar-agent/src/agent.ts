// The registrar-agent of one shard: one transaction layer over one transport; the directory
// loaded from the state-persister and kept current from the shard subjects; the registration
// manager keeping upstream bindings; the expiry of instances nobody hears from; the checkpointer;
// every incoming request handed to the calls side. stop(): stop scheduling and expiring → stop
// taking bus messages → stop the calls side → stop the transaction layer (REGISTERs in flight
// end) → flush checkpoints → stop the transport.
import type { Bus } from '@sipwake/bus';
import type { InstanceState } from '@sipwake/contracts';
import type { KeyRing } from '@sipwake/secrets';
import { createUasResponse, createTransactionLayer } from '@sipwake/sip-stack';
import type {
  SentBy,
  ServerLocator,
  Transport,
  TransactionLayer,
  TransportProtocol,
} from '@sipwake/sip-stack';
import { injectTraceContext } from '@sipwake/telemetry';
import type { SipwakeMetrics, Tracing } from '@sipwake/telemetry';
import type { CallSideExtras } from './calls/call-side.js';
import { createCheckpointer } from './checkpoint/checkpointer.js';
import type { Checkpointer, CheckpointStats } from './checkpoint/checkpointer.js';
import type { AgentSettings } from './config.js';
import { createDirectory } from './directory/directory.js';
import type { DirectoryStore } from './directory/directory.js';
import { createFeed } from './directory/feed.js';
import type { Feed } from './directory/feed.js';
import { createLoader } from './directory/loader.js';
import { AgentError, AgentErrorCode } from './errors.js';
import { createExpiryStore } from './expiry/expire-request.js';
import { createExpiry } from './expiry/expiry.js';
import type { Expiry, ExpiryStats } from './expiry/expiry.js';
import type { AgentClock, CallSide, CallSideDeps, CallSideLog } from './ports.js';
import { createPushClient } from './push/push-client.js';
import { createRegistrationManager } from './registration/manager.js';
import type { RegistrationManager } from './registration/manager.js';
import type { Outcome } from './registration/outcome.js';
import { locatorFinder } from './registration/target.js';
import type { TargetFinder } from './registration/target.js';

export interface RegistrarAgentDeps {
  readonly bus: Bus;
  /** Started by the agent, stopped by it (a direct sip-stack transport or the relay transport). */
  readonly transport: Transport;
  readonly keyRing: KeyRing;
  readonly clock: AgentClock;
  readonly log: CallSideLog;
  readonly config: AgentSettings;
  /** The calls side; without it requests are answered 480 (OPTIONS 200). */
  readonly createCallSide?: (deps: CallSideDeps & Partial<CallSideExtras>) => CallSide;
  /** RFC 3263 for registrar names; without it only IP-literal registrars are reachable. */
  readonly locator?: ServerLocator;
  /** Overrides how registrar URIs become targets (tests). */
  readonly findTargets?: TargetFinder;
  /** The Via sent-by (the routers' address under the relay transport). */
  readonly sentBy?: SentBy;
  readonly tracing?: Tracing;
  readonly metrics?: SipwakeMetrics;
  readonly random?: () => number;
}

export interface AgentStats {
  readonly instances: number;
  readonly byState: Readonly<Record<InstanceState, number>>;
  readonly registrationsSent: number;
  /** Failed REGISTERs by final response code, or `timeout` for no answer. */
  readonly registrationsFailed: Readonly<Record<string, number>>;
  readonly pendingRegistrations: number;
  readonly checkpoint: CheckpointStats;
  readonly expiry: ExpiryStats;
}

export interface RegistrarAgent {
  /** Starts the transport, loads the shard's instances, subscribes, schedules REGISTERs. */
  start(): Promise<void>;
  /** Idempotent; see the file comment for the order. */
  stop(): Promise<void>;
  stats(): AgentStats;
  /** The directory (for the calls side, admin and tests). */
  readonly directory: DirectoryStore;
}

export function createRegistrarAgent(deps: RegistrarAgentDeps): RegistrarAgent {
  const { bus, clock, config } = deps;
  const log = deps.log.child({ shard: config.shard });
  const directory = createDirectory({ keyRing: deps.keyRing });
  const loader = createLoader({
    bus,
    timeoutMs: config.busRequestTimeoutMs,
    pageInstances: config.loadPageInstances,
  });
  const checkpointer: Checkpointer = createCheckpointer({
    bus,
    clock,
    shard: config.shard,
    maxBatchRows: config.checkpointMaxBatchRows,
    intervalMs: config.checkpointIntervalMs,
    retryMs: config.checkpointRetryMs,
    requestTimeoutMs: config.busRequestTimeoutMs,
    retryMaxMs: config.checkpointRetryMaxMs,
    maxUnackedBatches: config.checkpointMaxUnackedBatches,
    warnPendingRows: config.checkpointWarnPendingRows,
    ...(deps.random === undefined ? {} : { random: deps.random }),
    log: log.child({ layer: 'checkpoint' }),
  });
  const pushClient = createPushClient({ bus, timeoutMs: config.busRequestTimeoutMs });
  const expiry: Expiry = createExpiry({
    directory,
    clock,
    settings: config,
    store: createExpiryStore({ bus, timeoutMs: config.busRequestTimeoutMs }),
    reload: (selector) => loader.one(selector),
    push: pushClient,
    log: log.child({ layer: 'expiry' }),
  });
  let sent = 0;
  const failed: Record<string, number> = {};
  const onOutcome = (selector: string, outcome: Outcome, expiresS: number): void => {
    sent += 1;
    deps.metrics?.registrationSent({ shard: config.shard });
    if (outcome.kind === 'ok') {
      log.debug({ selector, code: outcome.code, expiresS: outcome.expiresS }, 'REGISTER ok');
      return;
    }
    const code = outcome.code ?? 'timeout';
    failed[code] = (failed[code] ?? 0) + 1;
    deps.metrics?.registrationFailed(code, { shard: config.shard });
    log.info({ selector, code, kind: outcome.kind, expiresS }, 'REGISTER not accepted');
  };

  let layer: TransactionLayer | undefined;
  let manager: RegistrationManager | undefined;
  let feed: Feed | undefined;
  let callSide: CallSide | undefined;
  let unobserve: (() => void) | undefined;
  let phase: 'new' | 'started' | 'stopped' = 'new';
  let stopping: Promise<void> | undefined;

  const stats = (): AgentStats => ({
    instances: directory.size(),
    byState: manager?.countByState() ?? {
      idle: 0,
      registering: 0,
      registered: 0,
      unauthorized: 0,
      error: 0,
    },
    registrationsSent: sent,
    registrationsFailed: { ...failed },
    pendingRegistrations: manager?.pending() ?? 0,
    checkpoint: checkpointer.stats(),
    expiry: expiry.stats(),
  });

  const dispatch = (l: TransactionLayer): void => {
    l.onRequest((tx) => {
      if (callSide) return callSide.handleRequest(tx);
      const status = tx.request.method === 'OPTIONS' ? 200 : 480;
      tx.respond(createUasResponse(tx.request, status));
    });
    l.onCancel((cancel, cancelled) => {
      if (callSide) return callSide.handleCancel(cancel, cancelled);
      cancel.respond(createUasResponse(cancel.request, 200));
    });
    l.onStrayAck((inbound, invite) => callSide?.handleStrayAck(inbound, invite));
    l.onStrayResponse((inbound) => callSide?.handleStrayResponse(inbound));
  };

  return {
    directory,
    stats,
    async start() {
      if (phase !== 'new') throw new AgentError(AgentErrorCode.NotRunning, 'start() runs once');
      phase = 'started';
      await deps.transport.start();
      layer = createTransactionLayer({
        transport: deps.transport,
        clock,
        log: log.child({ layer: 'transaction' }),
        ...(deps.sentBy === undefined ? {} : { sentBy: () => deps.sentBy }),
      });
      callSide = deps.createCallSide?.({
        layer,
        directory,
        push: pushClient,
        clock,
        log: log.child({ side: 'calls' }),
        config,
        // MESSAGE store, dead tokens and call records go to the state-persister over the bus.
        bus,
        busRequestTimeoutMs: config.busRequestTimeoutMs,
        busHeaders: () => injectTraceContext({}),
        maxDeviceExpiresS: config.maxDeviceExpiresS,
        defaultDeviceExpiresS: config.defaultDeviceExpiresS,
        dialogIdleMs: config.dialogIdleMs,
        maxDialogs: config.maxDialogs,
      });
      dispatch(layer);
      // Subscribe before loading, so that no change made during the load is missed (a load
      // older than a change is dropped by version).
      feed = createFeed({
        bus,
        directory,
        loader,
        prefixes: config.prefixes,
        log: log.child({ layer: 'directory' }),
        onDeviceEvent: (event) => callSide?.handleDeviceEvent(event),
      });
      feed.start();
      let loaded = 0;
      for await (const page of loader.pages(config.prefixes)) {
        for (const instance of page) directory.put(instance);
        loaded += page.length;
      }
      log.info({ loaded, prefixes: config.prefixes }, 'instances loaded');
      manager = createRegistrationManager({
        directory,
        layer,
        clock,
        settings: config,
        findTargets: deps.findTargets ?? locatorFinder(deps.locator),
        log: log.child({ layer: 'registration' }),
        checkpoint: (row) => checkpointer.add(row),
        onOutcome,
        sentBy: (protocol) => deps.sentBy ?? listenerOf(deps.transport, protocol),
        ...(deps.tracing === undefined ? {} : { tracing: deps.tracing }),
        ...(deps.random === undefined ? {} : { random: deps.random }),
      });
      manager.start();
      expiry.start();
      unobserve = deps.metrics?.observeInstances(() =>
        Object.entries(stats().byState).map(([state, count]) => ({
          state,
          count,
          shard: config.shard,
        })),
      );
    },
    stop() {
      stopping ??= (async () => {
        const wasStarted = phase === 'started';
        phase = 'stopped';
        if (!wasStarted) return;
        manager?.stop();
        await expiry.stop();
        await feed?.stop();
        await callSide?.stop();
        layer?.stop();
        await manager?.settled();
        unobserve?.();
        if (!(await checkpointer.flush())) {
          log.warn({ ...checkpointer.stats() }, 'checkpoints not committed at stop');
        }
        checkpointer.stop();
        await deps.transport.stop();
      })();
      return stopping;
    },
  };
}

/** The transport's own address for `protocol` (the routers' under the relay transport). */
function listenerOf(transport: Transport, protocol: TransportProtocol): SentBy | undefined {
  const listener = transport
    .listening()
    .find((l) => l.protocol === protocol && l.address !== '0.0.0.0' && l.address !== '::');
  return listener && { host: listener.address, port: listener.port };
}
