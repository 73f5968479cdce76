// The agent's clock: sip-stack's monotonic Clock for timers, plus wall-clock epoch ms for what
// is stored and sent. Tests drive both from one manual clock.
import { createManualClock, systemClock } from '@sipwake/sip-stack';
import type { ManualClock } from '@sipwake/sip-stack';
import type { AgentClock } from './ports.js';

export function systemAgentClock(): AgentClock {
  const clock = systemClock();
  return {
    now: () => clock.now(),
    setTimeout: (callback, delayMs) => clock.setTimeout(callback, delayMs),
    clearTimeout: (handle) => clock.clearTimeout(handle),
    epochMs: () => Date.now(),
  };
}

export interface ManualAgentClock extends AgentClock, ManualClock {}

/** A manual clock whose epoch time is `epochStartMs` plus the time advanced. */
export function manualAgentClock(epochStartMs = 1_700_000_000_000): ManualAgentClock {
  const clock = createManualClock(0);
  return {
    now: () => clock.now(),
    setTimeout: (callback, delayMs) => clock.setTimeout(callback, delayMs),
    clearTimeout: (handle) => clock.clearTimeout(handle),
    advance: (ms) => clock.advance(ms),
    pending: () => clock.pending(),
    epochMs: () => epochStartMs + clock.now(),
  };
}
