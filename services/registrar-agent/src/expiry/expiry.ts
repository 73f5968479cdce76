// Expiry of instances nobody hears from (README "Expiry"). What counts as hearing from an
// instance, from the directory's events:
//
//   added    the newest `lastSeenAt` of its devices (the store renews it on hand-over, device
//            writes, presence and message fetches), or the moment the shard met it
//   changed  now: an instance change is a write the app made through the API
//   device   the event's time: a presence or "about to answer" call
//   binding  now, while the app holds a device-side binding (a REGISTER to sipwake)
//
// Each instance is warned (PushType warning) 12 h and 1 h before its deadline and, at the
// deadline, deleted through the state-persister (a conditional delete: the store keeps it if it
// saw the app later), then forgotten by the directory — so the registration manager sends
// Expires: 0 for sipwake's contact — and told (PushType expired). One heap of deadlines drives
// every instance; expiry requests run a few at a time.
import { ExpireOutcome, PushType } from '@sipwake/contracts';
import type { LoadedInstance } from '@sipwake/contracts';
import type { DirectoryStore } from '../directory/directory.js';
import { AgentError, AgentErrorCode } from '../errors.js';
import type { AgentClock, AgentInstance, DirectoryEvent, PushClient } from '../ports.js';
import { createDeadlines } from './deadlines.js';
import type { ExpiryStore } from './expire-request.js';
import { noticeFor } from './notices.js';
import type { NoticeSettings, NoticeType } from './notices.js';
import { checkPlanSettings, heardAtOf, nextStep, trackFrom } from './plan.js';
import type { PlanSettings, Track } from './plan.js';

export interface ExpirySettings extends PlanSettings, NoticeSettings {
  readonly shard: string;
  /** Wait before an unanswered expiry request is sent again. */
  readonly expiryRetryMs: number;
  /** Expiry requests in flight at most. */
  readonly expiryConcurrency: number;
}

export interface ExpiryLog {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface ExpiryDeps {
  readonly directory: DirectoryStore;
  readonly clock: AgentClock;
  readonly settings: ExpirySettings;
  readonly store: ExpiryStore;
  /** The instance as the store has it now (after a `kept` answer), or null. */
  readonly reload: (selector: string) => Promise<LoadedInstance | null>;
  readonly push: PushClient;
  readonly log: ExpiryLog;
}

export interface ExpiryStats {
  readonly tracked: number;
  readonly warningsSent: number;
  readonly expired: number;
  /** Expiries the store refused because it saw the app later. */
  readonly kept: number;
  readonly failedRequests: number;
  /** Expiries waiting for a request slot or for their answer. */
  readonly pendingExpiries: number;
}

export interface Expiry {
  /** Follows every instance of the directory and its changes. */
  start(): void;
  /** Clears the deadlines, waits for requests and pushes under way. Idempotent. */
  stop(): Promise<void>;
  stats(): ExpiryStats;
  /** The deadline (epoch ms) of an instance, or undefined when it is not followed. */
  deadlineOf(selector: string): number | undefined;
}

interface Followed extends Track {
  /** An expiry request is under way. */
  busy: boolean;
  /** An earlier request may have deleted it (no answer came): `gone` then means ours. */
  uncertain: boolean;
}

export function createExpiry(deps: ExpiryDeps): Expiry {
  const { directory, clock, settings, log } = deps;
  const problem = checkPlanSettings(settings);
  if (problem !== undefined) throw new AgentError(AgentErrorCode.BadSettings, problem);
  const followed = new Map<string, Followed>();
  const queue: string[] = [];
  const work = new Set<Promise<void>>();
  let requests = 0;
  let unsubscribe: (() => void) | undefined;
  let stopped = false;
  const counts = { warningsSent: 0, expired: 0, kept: 0, failedRequests: 0 };

  const deadlines = createDeadlines({ clock, onDue: (selector) => step(selector) });
  const toMonotonic = (epochMs: number): number => clock.now() + (epochMs - clock.epochMs());
  const track = (work_: Promise<void>): void => {
    work.add(work_);
    void work_.finally(() => work.delete(work_));
  };

  const schedule = (selector: string): void => {
    const entry = followed.get(selector);
    if (!entry || entry.busy || stopped) return;
    const next = nextStep(entry, clock.epochMs(), settings);
    deadlines.set(selector, next.kind === 'wait' ? toMonotonic(next.untilEpochMs) : clock.now());
  };

  const follow = (instance: AgentInstance): void => {
    const now = clock.epochMs();
    followed.set(instance.selector, {
      ...trackFrom(heardAtOf(instance, now), now, settings),
      busy: false,
      uncertain: false,
    });
    schedule(instance.selector);
  };

  const heard = (selector: string, atEpochMs: number): void => {
    const entry = followed.get(selector);
    const at = Math.min(atEpochMs, clock.epochMs());
    if (!entry || at <= entry.heardAt) return;
    followed.set(selector, { ...entry, ...trackFrom(at, clock.epochMs(), settings) });
    schedule(selector);
  };

  const notify = (type: NoticeType, instance: AgentInstance): void => {
    const request = noticeFor(type, instance, settings);
    const selector = instance.selector;
    if (request === undefined) {
      log.debug({ selector, type }, 'no device to tell');
      return;
    }
    if (type === PushType.Warning) counts.warningsSent += 1;
    track(
      deps.push.push(request).then(
        () => log.debug({ selector, type }, 'expiry push sent'),
        (error: unknown) => log.warn({ selector, type, err: error }, 'expiry push failed'),
      ),
    );
  };

  const step = (selector: string): void => {
    const entry = followed.get(selector);
    const instance = directory.get(selector);
    if (!instance) followed.delete(selector);
    if (!entry || entry.busy || !instance) return;
    const next = nextStep(entry, clock.epochMs(), settings);
    if (next.kind === 'wait') return schedule(selector);
    if (next.kind === 'warn') {
      followed.set(selector, { ...entry, warned: next.warned });
      log.info({ selector, leadMs: next.leadMs }, 'instance expires soon: warning');
      notify(PushType.Warning, instance);
      return schedule(selector);
    }
    entry.busy = true;
    queue.push(selector);
    pump();
  };

  const pump = (): void => {
    while (!stopped && requests < settings.expiryConcurrency && queue.length > 0) {
      const selector = queue.shift()!;
      requests += 1;
      track(
        expire(selector).finally(() => {
          requests -= 1;
          pump();
        }),
      );
    }
  };

  const expire = async (selector: string): Promise<void> => {
    const entry = followed.get(selector);
    const instance = directory.get(selector);
    if (!entry || !instance) {
      followed.delete(selector);
      return;
    }
    let outcome: ExpireOutcome;
    try {
      outcome = await deps.store.expire({
        shard: settings.shard,
        selector,
        version: instance.version,
        lastHeardAt: Math.max(0, Math.floor(entry.heardAt)),
      });
    } catch (error) {
      counts.failedRequests += 1;
      log.warn({ selector, err: error }, 'expiry not confirmed; retried');
      const now = followed.get(selector);
      if (now) Object.assign(now, { busy: false, uncertain: true });
      if (!stopped && now) deadlines.set(selector, clock.now() + settings.expiryRetryMs);
      return;
    }
    const ours =
      outcome === ExpireOutcome.Deleted || (outcome === ExpireOutcome.Gone && entry.uncertain);
    if (outcome === ExpireOutcome.Kept) return keep(selector);
    followed.delete(selector);
    deadlines.delete(selector);
    directory.remove(selector); // the registration manager sends Expires: 0 for our contact
    if (!ours) {
      log.info({ selector }, 'instance no longer stored; forgotten');
      return;
    }
    counts.expired += 1;
    log.info({ selector, lastHeardAt: entry.heardAt }, 'instance expired and deleted');
    notify(PushType.Expired, instance);
  };

  /** The store saw the app after what the agent heard: the clock starts again from now. */
  const keep = async (selector: string): Promise<void> => {
    counts.kept += 1;
    const entry = followed.get(selector);
    if (entry) Object.assign(entry, { busy: false, uncertain: false });
    try {
      const loaded = await deps.reload(selector);
      if (loaded === null) directory.remove(selector);
      else directory.put(loaded);
    } catch (error) {
      log.warn({ selector, err: error }, 'reload after a kept expiry failed');
    }
    log.info({ selector }, 'expiry refused by the store: the app was seen later');
    heard(selector, clock.epochMs());
  };

  const onChange = (event: DirectoryEvent): void => {
    const { selector } = event;
    switch (event.kind) {
      case 'added': {
        const instance = directory.get(selector);
        if (instance && !followed.has(selector)) follow(instance);
        return;
      }
      case 'changed':
        return heard(selector, clock.epochMs());
      case 'device':
        return heard(selector, event.event.at);
      case 'binding':
        if ((directory.get(selector)?.deviceBindings.length ?? 0) > 0) {
          heard(selector, clock.epochMs());
        }
        return;
      case 'removed':
        if (!followed.get(selector)?.busy) followed.delete(selector);
        deadlines.delete(selector);
        return;
      case 'state':
        return;
    }
  };

  return {
    start() {
      if (unsubscribe || stopped) return;
      unsubscribe = directory.onChange(onChange);
      for (const instance of directory.list()) follow(instance);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe?.();
      deadlines.stop();
      queue.length = 0;
      for (let i = 0; i < 100 && work.size > 0; i++) await Promise.allSettled([...work]);
    },
    stats: () => ({
      tracked: followed.size,
      ...counts,
      pendingExpiries: queue.length + requests,
    }),
    deadlineOf: (selector) => followed.get(selector)?.deadline,
  };
}
