// When an instance nobody hears from is warned and when it expires: pure functions of the time
// it was last heard from, the warnings already given and the clock (epoch ms throughout).
//
//   deadline = lastHeardAt + maxAge       (never sooner than the last warning's lead from the
//                                          moment the agent started following the instance)
//   warning i at deadline − warningsBeforeMs[i]   (12 h, 1 h by default)
//   expiry at the deadline
//
// Warnings whose time passed while nobody followed the instance (a shard started late in its
// life) collapse into one, given at once: the latest of them.
import type { InstanceDevice } from '@sipwake/contracts';
import type { AgentInstance } from '../ports.js';

export interface PlanSettings {
  readonly maxAgeMs: number;
  /** Leads before the deadline, longest first (checked by `checkPlanSettings`). */
  readonly warningsBeforeMs: readonly number[];
}

export interface Track {
  /** Epoch ms of the newest activity heard. */
  readonly heardAt: number;
  /** Epoch ms at which the instance expires. */
  readonly deadline: number;
  /** Warnings given (or collapsed) for this deadline: the next one is `warningsBeforeMs[warned]`. */
  readonly warned: number;
}

export type Step =
  | { readonly kind: 'wait'; readonly untilEpochMs: number }
  | { readonly kind: 'warn'; readonly leadMs: number; readonly warned: number }
  | { readonly kind: 'expire' };

/** A problem with the settings, or undefined when they are usable. */
export function checkPlanSettings(settings: PlanSettings): string | undefined {
  const leads = settings.warningsBeforeMs;
  for (let i = 0; i < leads.length; i++) {
    const lead = leads[i]!;
    if (!Number.isInteger(lead) || lead <= 0) return 'every warning lead is a positive integer';
    if (lead >= settings.maxAgeMs) return 'every warning lead is shorter than the max age';
    if (i > 0 && lead >= leads[i - 1]!) return 'warning leads are given longest first';
  }
  return undefined;
}

/** A fresh track from activity at `heardAt`, seen at `nowEpochMs`. */
export function trackFrom(heardAt: number, nowEpochMs: number, settings: PlanSettings): Track {
  const lastLead = settings.warningsBeforeMs[settings.warningsBeforeMs.length - 1] ?? 0;
  // The user always gets the last warning before the end, even when the agent met the
  // instance later than that warning's time (a shard restart, a lowered max age).
  const deadline = Math.max(heardAt + settings.maxAgeMs, nowEpochMs + lastLead);
  return { heardAt, deadline, warned: 0 };
}

export function nextStep(track: Track, nowEpochMs: number, settings: PlanSettings): Step {
  if (nowEpochMs >= track.deadline) return { kind: 'expire' };
  const leads = settings.warningsBeforeMs;
  let due = -1;
  for (let i = track.warned; i < leads.length; i++) {
    if (track.deadline - leads[i]! <= nowEpochMs) due = i;
  }
  if (due >= 0) return { kind: 'warn', leadMs: leads[due]!, warned: due + 1 };
  const next = track.warned < leads.length ? track.deadline - leads[track.warned]! : track.deadline;
  return { kind: 'wait', untilEpochMs: next };
}

/**
 * What an instance the agent meets (loaded, created) was last heard from: the newest of the
 * store's last-seen time of the instance (API calls) and of its devices; an instance never
 * seen counts from `nowEpochMs`. The store compares the same times before it deletes.
 */
export function heardAtOf(instance: AgentInstance, nowEpochMs: number): number {
  const seen = [
    instance.lastSeenAt,
    ...instance.devices.map((d: InstanceDevice) => d.lastSeenAt),
  ].filter((at): at is number => at !== null && at !== undefined);
  return seen.length === 0 ? nowEpochMs : Math.min(nowEpochMs, Math.max(...seen));
}
