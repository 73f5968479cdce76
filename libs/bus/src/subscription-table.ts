// The in-process bus's subscriptions: who receives a message published on a subject. Wildcards
// match as nats-server matches them; a queue group (same queue name) gets each message once,
// its members taking turns (round-robin).
import { tokensMatch } from './subject.js';
import type { MessageHandler } from './types.js';

export interface LocalSubscription {
  readonly tokens: readonly string[];
  readonly queue: string | undefined;
  readonly handler: MessageHandler;
  /** Only `active` subscriptions take new messages. */
  state: 'active' | 'draining' | 'closed';
  /** Deliveries queued and not yet handed to the handler. */
  pending: number;
  drained: (() => void) | undefined;
}

/** Reply inboxes are used once: the cache keeps them out. */
export const inboxPrefix = '_INBOX.';
const maxCachedSubjects = 10_000;

export class SubscriptionTable {
  private readonly subs = new Set<LocalSubscription>();
  /** Literal subject → the active subscriptions it matches; cleared on every change. */
  private readonly matchCache = new Map<string, LocalSubscription[]>();
  private readonly turns = new Map<string, number>();

  add(sub: LocalSubscription): void {
    this.subs.add(sub);
    this.matchCache.clear();
  }

  /** Call after a subscription left `active` (draining or closed). */
  changed(sub: LocalSubscription): void {
    if (sub.state === 'closed') this.subs.delete(sub);
    this.matchCache.clear();
  }

  all(): LocalSubscription[] {
    return [...this.subs];
  }

  /** Every active subscription matching the literal `subject`. */
  matching(subject: string): LocalSubscription[] {
    let subs = this.matchCache.get(subject);
    if (subs !== undefined) return subs;
    const tokens = subject.split('.');
    subs = [];
    for (const sub of this.subs) {
      if (sub.state === 'active' && tokensMatch(sub.tokens, tokens)) subs.push(sub);
    }
    if (!subject.startsWith(inboxPrefix)) {
      if (this.matchCache.size >= maxCachedSubjects) this.matchCache.clear();
      this.matchCache.set(subject, subs);
    }
    return subs;
  }

  /** Who gets a message on `subject`: every plain subscription, one member per queue group. */
  receivers(subject: string): LocalSubscription[] {
    const subs = this.matching(subject);
    let groups: Map<string, LocalSubscription[]> | undefined;
    const out: LocalSubscription[] = [];
    for (const sub of subs) {
      if (sub.queue === undefined) out.push(sub);
      else {
        groups ??= new Map();
        const members = groups.get(sub.queue);
        if (members === undefined) groups.set(sub.queue, [sub]);
        else members.push(sub);
      }
    }
    if (groups === undefined) return out;
    for (const [queue, members] of groups) {
      const turn = this.turns.get(queue) ?? 0;
      this.turns.set(queue, turn + 1);
      out.push(members[turn % members.length]!);
    }
    return out;
  }
}
