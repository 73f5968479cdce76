// Keeps the directory current: the shard's instance subject (InstanceChange → reload that one
// selector, or forget it) and device subject (DeviceEvent → presence and last-seen). Messages are
// checked with the contracts decoder; a bad one is logged (without its values) and dropped.
import type { Bus, Subscription } from '@sipwake/bus';
import {
  acceptMessages,
  DeviceEvent,
  InstanceChange,
  parsePrefix,
  prefixMatches,
  ShardSubjectKind,
  subjects,
} from '@sipwake/contracts';
import type { Prefix } from '@sipwake/contracts';
import type { DirectoryStore } from './directory.js';
import type { Loader } from './loader.js';

export interface FeedLog {
  debug(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface FeedOptions {
  readonly bus: Bus;
  readonly directory: DirectoryStore;
  readonly loader: Loader;
  readonly prefixes: readonly string[];
  readonly log: FeedLog;
  /** After the directory applied a device event (the calls side hears about-to-answer here). */
  readonly onDeviceEvent?: (event: DeviceEvent) => void;
}

export interface Feed {
  start(): void;
  /** Unsubscribes and waits for reloads under way. Idempotent. */
  stop(): Promise<void>;
}

export function createFeed(options: FeedOptions): Feed {
  const { bus, directory, loader, log } = options;
  const owned: Prefix[] = options.prefixes.map((p) => parsePrefix(p));
  const ours = (selector: string): boolean => owned.some((p) => prefixMatches(p, selector));
  const subscriptions: Subscription[] = [];
  const inFlight = new Set<Promise<void>>();
  // The newest version announced per selector, so reloads that cross apply in order.
  const announced = new Map<string, number>();

  const reload = async (change: InstanceChange): Promise<void> => {
    const { selector } = change;
    if (change.change === 'removed') {
      if (announced.get(selector) === change.version) announced.delete(selector);
      if (directory.remove(selector)) log.debug({ selector }, 'instance removed');
      return;
    }
    try {
      const loaded = await loader.one(selector);
      if (announced.get(selector) !== change.version) return; // a newer change is loading
      if (loaded === null) {
        directory.remove(selector);
        return;
      }
      directory.put(loaded);
    } catch (error) {
      log.warn({ selector, err: error }, 'instance reload failed');
    } finally {
      if (announced.get(selector) === change.version) announced.delete(selector);
    }
  };

  const onInstance = acceptMessages(InstanceChange, {
    handle: (change) => {
      if (!ours(change.selector)) return;
      const known = announced.get(change.selector);
      if (known !== undefined && known > change.version) return;
      announced.set(change.selector, change.version);
      const work = reload(change);
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    },
    reject: (error) => log.warn({ err: error, code: error.code }, 'bad instance change dropped'),
  });

  const onDevice = acceptMessages(DeviceEvent, {
    handle: (event) => {
      if (!ours(event.selector)) return;
      directory.applyDevice(event);
      options.onDeviceEvent?.(event);
    },
    reject: (error) => log.warn({ err: error, code: error.code }, 'bad device event dropped'),
  });

  return {
    start() {
      if (subscriptions.length > 0) return;
      for (const prefix of owned) {
        for (const subject of subjects.shardSubscriptions(prefix, ShardSubjectKind.Instance)) {
          subscriptions.push(bus.subscribe(subject, (m) => void onInstance(m.data, m.subject)));
        }
        for (const subject of subjects.shardSubscriptions(prefix, ShardSubjectKind.Device)) {
          subscriptions.push(bus.subscribe(subject, (m) => void onDevice(m.data, m.subject)));
        }
      }
    },
    async stop() {
      for (const s of subscriptions.splice(0)) s.unsubscribe();
      await Promise.allSettled([...inFlight]);
    },
  };
}
