// One instance's upstream binding as a small state machine in RFC words (states from contracts
// `InstanceState`). `evaluate()` says when the next REGISTER is due (or settles what needs none);
// `send()` sends it and applies the answer:
//
//   answer                        next state                 next REGISTER
//   2xx, expires > 0              Registered                 refresh before expiry (margin)
//   2xx to Expires: 0             Idle                       none (or forget: instance removed)
//   423 + Min-Expires             (unchanged)                at once, Expires = Min-Expires
//   3xx + Contact                 (unchanged)                at once, to that Contact (once)
//   401/407 after creds, 403      Unauthorized               after unauthorizedRetryMs
//   408/5xx/timeout/transport     Registering, Error after N back-off with jitter, or Retry-After
import { InstanceState } from '@sipwake/contracts';
import type { CheckpointRow } from '@sipwake/contracts';
import { parseUri } from '@sipwake/sip-parser';
import type { SipUri } from '@sipwake/sip-parser';
import { createRegistration } from '@sipwake/sip-stack';
import type { DigestClient, Registration, SendTarget, TransactionLayer } from '@sipwake/sip-stack';
import type { AgentClock, AgentInstance } from '../ports.js';
import { backoffMs } from './backoff.js';
import { lazyDigestClient } from './lazy-digest.js';
import { outcomeOfError, outcomeOfResult } from './outcome.js';
import type { Outcome } from './outcome.js';
import { holdDecision } from './takeover.js';
import { routeOf } from './target.js';
import type { TargetFinder } from './target.js';

export interface BindingSettings {
  readonly publicHost: string;
  readonly publicPort: number;
  readonly publicTransport: string;
  readonly defaultExpiresS: number;
  readonly refreshMarginMs: number;
  readonly backoffMinMs: number;
  readonly backoffMaxMs: number;
  readonly errorAfterFailures: number;
  readonly unauthorizedRetryMs: number;
  readonly takeoverDelayMs: number;
  readonly foregroundSilentMs: number;
}

export interface BindingDeps {
  readonly layer: TransactionLayer;
  readonly clock: AgentClock;
  readonly settings: BindingSettings;
  readonly findTargets: TargetFinder;
  readonly random?: () => number;
  /** Each state change, with the row to checkpoint. */
  readonly onChange: (row: CheckpointRow) => void;
  /** Each REGISTER answered or failed (for metrics and logs): the outcome and Expires asked. */
  readonly onOutcome?: (selector: string, outcome: Outcome, expiresS: number) => void;
}

export interface Binding {
  readonly selector: string;
  state(): InstanceState;
  /** The instance changed (account, mode, devices). */
  update(instance: AgentInstance): void;
  /** The instance is gone: remove our contact, then `forgotten()` turns true. */
  remove(): void;
  forgotten(): boolean;
  /** Monotonic ms when `send()` is next due (≤ now: at once), or undefined when nothing is. */
  evaluate(): number | undefined;
  /** Sends the REGISTER `evaluate()` asked for, if it is still due; applies the answer. */
  send(): Promise<void>;
  /** The row of the current state (with a new version). */
  row(): CheckpointRow;
}

type Want = 'present' | 'absent';

export function createBinding(initial: AgentInstance, deps: BindingDeps): Binding {
  const { clock, settings } = deps;
  let instance = initial;
  const selector = instance.selector;
  const stored = instance.registration;
  let state: InstanceState = instance.state;
  let version = stored?.version ?? 0;
  let callId = stored?.callId ?? undefined;
  let lastCseq = stored?.cseq ?? undefined;
  let expiresAt = stored?.expiresAt ?? null; // epoch ms
  let lastCode = stored?.lastCode ?? null;
  let lastAt = stored?.lastAt ?? null;
  let failures = 0;
  let refreshAt: number | undefined; // monotonic
  let retryAt: number | undefined; // monotonic
  let lastWant: Want | undefined;
  let askExpiresS: number | undefined;
  let redirect: { readonly text: string; readonly uri: SipUri } | undefined;
  let targetIndex = 0;
  let gone = false;
  let forgotten = false;
  let registration: Registration | undefined;
  let digest: DigestClient | undefined;
  let routeKey = routeKeyOf(instance);

  const row = (): CheckpointRow => ({
    selector,
    status: state,
    callId: registration?.callId ?? callId ?? null,
    cseq: registration?.cseq() ?? lastCseq ?? null,
    expiresAt,
    lastCode,
    lastAt,
    version: ++version,
  });
  const setState = (next: InstanceState, force = false): void => {
    if (next === state && !force) return;
    state = next;
    deps.onChange(row());
  };

  const want = (): { want: Want; recheckAt: number | undefined } => {
    if (gone) return { want: 'absent', recheckAt: undefined };
    const decision = holdDecision(instance.mode, instance.devices, clock.epochMs(), {
      delayMs: settings.takeoverDelayMs,
      foregroundSilentMs: settings.foregroundSilentMs,
    });
    return { want: decision.hold ? 'present' : 'absent', recheckAt: decision.recheckAt };
  };
  /** Our contact may be bound upstream: we hold it, or the last state says it is not expired. */
  const mayBeBound = (): boolean =>
    state === InstanceState.Registered || (expiresAt !== null && expiresAt > clock.epochMs());

  const contact = (): string => {
    const transport =
      settings.publicTransport === 'udp' ? '' : `;transport=${settings.publicTransport}`;
    return `sip:${selector}@${settings.publicHost}:${settings.publicPort}${transport}`;
  };

  const registrationFor = (requestUri: string, target: SendTarget): Registration => {
    digest ??= lazyDigestClient(() => instance.credentials());
    const reg = createRegistration({
      layer: deps.layer,
      target,
      registrar: requestUri,
      aor: `sip:${instance.account.username}@${instance.account.domain}`,
      contact: contact(),
      digest,
      ...(callId === undefined ? {} : { callId }),
      ...(lastCseq === undefined ? {} : { lastCseq }),
    });
    callId = reg.callId;
    return reg;
  };

  const apply = (outcome: Outcome, asked: number, now: number): void => {
    lastCode = outcome.code;
    lastAt = clock.epochMs();
    if (registration) lastCseq = registration.cseq();
    const fail = (waitMs: number, next: InstanceState): void => {
      retryAt = now + waitMs;
      setState(next, true);
    };
    switch (outcome.kind) {
      case 'ok':
        failures = 0;
        retryAt = undefined;
        if (asked === 0) {
          expiresAt = null;
          refreshAt = undefined;
          if (gone) forgotten = true;
          setState(InstanceState.Idle, true);
          return;
        }
        if (outcome.expiresS <= 0) {
          failures += 1;
          fail(backoffMs(failures, backoffOptions()), errorOr(InstanceState.Registering));
          return;
        }
        expiresAt = clock.epochMs() + outcome.expiresS * 1000;
        refreshAt = now + refreshDelayMs(outcome.expiresS * 1000, settings.refreshMarginMs);
        setState(InstanceState.Registered, true);
        return;
      case 'too-brief':
        // RFC 3261 §10.3 step 7: "the registrar MAY reject the registration with a response of
        // 423 (Interval Too Brief) [...] containing a Min-Expires header field".
        if (askExpiresS !== undefined && askExpiresS >= outcome.minExpiresS) {
          failures += 1;
          fail(backoffMs(failures, backoffOptions()), errorOr(state));
          return;
        }
        askExpiresS = outcome.minExpiresS;
        retryAt = now;
        return;
      case 'redirect':
        // §21.3: follow the registrar's Contact once; a second redirect is a failure.
        if (redirect === undefined) {
          try {
            redirect = { text: outcome.contact, uri: parseUri(outcome.contact) };
            registration = undefined;
            retryAt = now;
            return;
          } catch {
            // falls through to a failure
          }
        }
        failures += 1;
        fail(backoffMs(failures, backoffOptions()), errorOr(InstanceState.Registering));
        return;
      case 'unauthorized':
        failures += 1;
        digest?.reset();
        fail(settings.unauthorizedRetryMs, InstanceState.Unauthorized);
        return;
      case 'failed': {
        failures += 1;
        // §8.1.3.1: a timeout is as a 408, a transport failure as a 503: try the next target.
        if (outcome.code === null || outcome.code === 503) {
          targetIndex += 1;
          registration = undefined;
        }
        const wait = outcome.retryAfterMs ?? backoffMs(failures, backoffOptions());
        fail(wait, errorOr(gone ? state : InstanceState.Registering));
        return;
      }
    }
  };
  const errorOr = (next: InstanceState): InstanceState =>
    failures >= settings.errorAfterFailures ? InstanceState.Error : next;
  const backoffOptions = () => ({
    minMs: settings.backoffMinMs,
    maxMs: settings.backoffMaxMs,
    ...(deps.random === undefined ? {} : { random: deps.random }),
  });

  const evaluate = (): number | undefined => {
    if (forgotten) return undefined;
    const now = clock.now();
    const { want: w, recheckAt } = want();
    if (w !== lastWant) {
      // A new goal: what was waiting for the old one (a retry, a 423 raise) no longer applies.
      if (lastWant !== undefined) {
        retryAt = undefined;
        failures = 0;
      }
      lastWant = w;
    }
    if (retryAt !== undefined) return retryAt;
    if (w === 'present') {
      if (state === InstanceState.Registered && refreshAt !== undefined) return refreshAt;
      return now;
    }
    if (mayBeBound()) return now;
    if (gone) {
      forgotten = true;
      return undefined;
    }
    setState(InstanceState.Idle);
    return recheckAt === undefined ? undefined : now + Math.max(0, recheckAt - clock.epochMs());
  };

  const send = async (): Promise<void> => {
    const due = evaluate();
    const now = clock.now();
    if (due === undefined || due > now) return;
    const w = lastWant ?? 'present';
    const asked =
      w === 'absent'
        ? 0
        : (askExpiresS ?? instance.account.expiresSeconds ?? settings.defaultExpiresS);
    retryAt = undefined;
    let outcome: Outcome;
    try {
      if (registration === undefined) {
        const route = routeOf(instance.account, selector);
        const targets = await deps.findTargets(redirect?.uri ?? route.next);
        if (targets.length === 0) throw new Error('no target');
        registration = registrationFor(
          redirect?.text ?? route.requestUri,
          targets[targetIndex % targets.length]!,
        );
      }
      if (w === 'present' && state !== InstanceState.Registered) {
        setState(InstanceState.Registering);
      }
      outcome = outcomeOfResult(await registration.register(asked));
    } catch (error) {
      outcome = outcomeOfError(error);
    }
    deps.onOutcome?.(selector, outcome, asked);
    apply(outcome, asked, clock.now());
  };

  return {
    selector,
    state: () => state,
    update(next) {
      instance = next;
      const key = routeKeyOf(next);
      if (key !== routeKey) {
        // Another account or registrar: a new binding (new Call-ID, CSeq from 1).
        routeKey = key;
        registration = undefined;
        callId = undefined;
        lastCseq = undefined;
        redirect = undefined;
        askExpiresS = undefined;
      }
      // The password may have changed: open it again at the next challenge.
      digest?.reset();
      if (state === InstanceState.Unauthorized) retryAt = undefined;
    },
    remove() {
      gone = true;
    },
    forgotten: () => forgotten,
    evaluate,
    send,
    row,
  };
}

/** Refresh `marginMs` before expiry, but never before half the granted time has passed. */
export function refreshDelayMs(grantedMs: number, marginMs: number): number {
  return Math.max(grantedMs - marginMs, grantedMs / 2);
}

function routeKeyOf(instance: AgentInstance): string {
  const a = instance.account;
  return [a.username, a.domain, a.registrar, a.outboundProxy, a.transport].join('\u0000');
}
