// Every instance's binding, driven by the directory and the throttled scheduler: an instance
// added, changed, removed or whose devices changed is evaluated; a REGISTER that is due waits
// for its slot. At start the instances whose binding expires soonest go first.
import type { InstanceState } from '@sipwake/contracts';
import type { CheckpointRow } from '@sipwake/contracts';
import type { SentBy, TransactionLayer, TransportProtocol } from '@sipwake/sip-stack';
import type { Tracing } from '@sipwake/telemetry';
import type { DirectoryStore } from '../directory/directory.js';
import type { AgentClock, DirectoryEvent } from '../ports.js';
import { createBinding } from './binding.js';
import type { Binding, BindingSettings } from './binding.js';
import type { Outcome } from './outcome.js';
import { createScheduler } from './scheduler.js';
import { withSelectorVia } from './selector-via.js';
import type { TargetFinder } from './target.js';

export interface ManagerLog {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface ManagerOptions {
  readonly directory: DirectoryStore;
  readonly layer: TransactionLayer;
  readonly clock: AgentClock;
  readonly settings: BindingSettings & { readonly registrationsPerSecond: number };
  readonly findTargets: TargetFinder;
  readonly log: ManagerLog;
  readonly checkpoint: (row: CheckpointRow) => void;
  readonly random?: () => number;
  /** Each REGISTER step runs in a span `registrar.register` with the selector. */
  readonly tracing?: Tracing;
  readonly onOutcome?: (selector: string, outcome: Outcome, expiresS: number) => void;
  /**
   * The Via sent-by per protocol: when given, each REGISTER's top Via carries the selector in
   * its branch (`relayBranch`), so that routers bring the answers back to this shard.
   */
  readonly sentBy?: (protocol: TransportProtocol) => SentBy | undefined;
}

export interface RegistrationManager {
  /** Takes every instance of the directory, soonest expiry first, and follows its changes. */
  start(): void;
  /** Stops scheduling; REGISTERs in flight end with the transaction layer. Idempotent. */
  stop(): void;
  /** Resolves when no REGISTER is in flight. */
  settled(): Promise<void>;
  /** Instances per state. */
  countByState(): Readonly<Record<InstanceState, number>>;
  /** REGISTERs waiting for their time or slot. */
  pending(): number;
}

export function createRegistrationManager(options: ManagerOptions): RegistrationManager {
  const { directory, clock, log } = options;
  const bindings = new Map<string, Binding>();
  const inFlight = new Map<string, Promise<void>>();
  /** Selectors that changed while their REGISTER was in flight: evaluate again after it. */
  const dirty = new Set<string>();
  let unsubscribe: (() => void) | undefined;
  let stopped = false;

  const evaluate = (selector: string): void => {
    if (stopped) return;
    const binding = bindings.get(selector);
    if (!binding) return;
    if (inFlight.has(selector)) {
      dirty.add(selector);
      return;
    }
    const at = binding.evaluate();
    if (binding.forgotten()) {
      bindings.delete(selector);
      scheduler.cancel(selector);
      return;
    }
    if (at === undefined) scheduler.cancel(selector);
    else scheduler.schedule(selector, at);
  };

  const run = (selector: string): void => {
    const binding = bindings.get(selector);
    if (!binding || stopped || inFlight.has(selector)) return;
    const step = options.tracing
      ? options.tracing.withSpan('registrar.register', { selector }, () => binding.send())
      : binding.send();
    const work = step
      .catch((error: unknown) => log.warn({ selector, err: error }, 'REGISTER step failed'))
      .finally(() => {
        inFlight.delete(selector);
        dirty.delete(selector);
        evaluate(selector);
      });
    inFlight.set(selector, work);
  };

  const scheduler = createScheduler({
    clock,
    perSecond: options.settings.registrationsPerSecond,
    run,
  });

  const bindingFor = (selector: string): Binding | undefined => {
    const instance = directory.get(selector);
    if (!instance) return undefined;
    const binding = createBinding(instance, {
      layer:
        options.sentBy === undefined
          ? options.layer
          : withSelectorVia(options.layer, selector, options.sentBy),
      clock,
      settings: options.settings,
      findTargets: options.findTargets,
      ...(options.random === undefined ? {} : { random: options.random }),
      onChange: (row) => {
        const current = directory.get(selector);
        if (current) directory.setRegistration(selector, row.status, row);
        options.checkpoint(row);
      },
      ...(options.onOutcome === undefined ? {} : { onOutcome: options.onOutcome }),
    });
    bindings.set(selector, binding);
    return binding;
  };

  const onChange = (event: DirectoryEvent): void => {
    const { selector } = event;
    switch (event.kind) {
      case 'added':
        if (!bindings.has(selector)) bindingFor(selector);
        evaluate(selector);
        return;
      case 'changed': {
        const instance = directory.get(selector);
        const binding = bindings.get(selector);
        if (!instance) return;
        if (binding) binding.update(instance);
        else bindingFor(selector);
        evaluate(selector);
        return;
      }
      case 'removed':
        bindings.get(selector)?.remove();
        evaluate(selector);
        return;
      case 'device':
      case 'binding': {
        const instance = directory.get(selector);
        if (instance) bindings.get(selector)?.update(instance);
        evaluate(selector);
        return;
      }
      case 'state':
        return;
    }
  };

  return {
    start() {
      if (unsubscribe || stopped) return;
      unsubscribe = directory.onChange(onChange);
      // DESIGN.md: "re-registers the ones whose binding expires soonest first": due now, in
      // order of expiry (never registered first), so the scheduler's ties keep that order.
      const instances = [...directory.list()].sort(
        (a, b) => (a.registration?.expiresAt ?? 0) - (b.registration?.expiresAt ?? 0),
      );
      for (const instance of instances) {
        const binding = bindingFor(instance.selector);
        if (!binding) continue;
        const at = binding.evaluate();
        if (at !== undefined) scheduler.schedule(instance.selector, Math.min(at, clock.now()));
      }
      log.info({ instances: instances.length }, 'registrations scheduled');
    },
    stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe?.();
      scheduler.stop();
    },
    async settled() {
      for (let i = 0; i < 1000 && inFlight.size > 0; i++) {
        await Promise.allSettled([...inFlight.values()]);
      }
    },
    countByState() {
      const counts: Record<InstanceState, number> = {
        idle: 0,
        registering: 0,
        registered: 0,
        unauthorized: 0,
        error: 0,
      };
      for (const binding of bindings.values()) counts[binding.state()] += 1;
      return counts;
    },
    pending: () => scheduler.size(),
  };
}
