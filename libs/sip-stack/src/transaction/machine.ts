// The engine the four transaction machines share: a transition table written in the words of
// the RFC figures, timers from the injected clock, and events queued so that an event raised
// while a transition runs (a TU answering from inside a callback, a zero-length timer) is
// handled after it, in order.
import type { Clock, TimerHandle } from '../clock.js';
import type { TimerName } from './timers.js';

export interface Transition<S extends string, A extends string> {
  readonly to: S;
  /** Run in order after the state changed. */
  readonly actions: readonly A[];
}

/** state → event → transition. An event missing from a state is ignored (absorbed). */
export type TransitionTable<S extends string, E extends string, A extends string> = {
  readonly [state in S]: { readonly [event in E]?: Transition<S, A> };
};

export interface MachineSpec<S extends string, E extends string, A extends string> {
  readonly initial: S;
  readonly terminated: S;
  readonly table: TransitionTable<S, E, A>;
  /** The timers that run on in each state; entering a state clears every other one. */
  readonly timersIn: { readonly [state in S]: readonly (E & TimerName)[] };
}

export interface MachineHooks<S extends string, E extends string, A extends string, D> {
  perform(action: A, data: D | undefined, event: E): void;
  /** After every transition (also to the same state), before its actions run. */
  transitioned?(from: S, to: S, event: E): void;
  /** After the actions of the transition that reached the terminated state. */
  terminated?(event: E): void;
}

export interface StateMachine<S extends string, E extends string, D> {
  readonly state: S;
  /** Whether the current state has a transition for the event (else the event is absorbed). */
  accepts(event: E): boolean;
  /** Handles an event now, or after the running transition when called from inside one. */
  fire(event: E, data?: D): void;
  /** Starts (or restarts) the timer named like its event; zero fires it right after this transition. */
  startTimer(event: E & TimerName, delayMs: number): void;
  stopTimer(event: E & TimerName): void;
  /** The delay the timer was last started with (for timers that double). */
  lastDelay(event: E & TimerName): number | undefined;
  /** Goes to the terminated state at once, without actions (stop()): clears every timer. */
  abort(): void;
  /** Timers running now (for tests and stop()). */
  runningTimers(): number;
}

export function createStateMachine<S extends string, E extends string, A extends string, D>(
  spec: MachineSpec<S, E, A>,
  clock: Clock,
  hooks: MachineHooks<S, E, A, D>,
): StateMachine<S, E, D> {
  let state = spec.initial;
  let running = false;
  const queue: { event: E; data: D | undefined }[] = [];
  const timers = new Map<E & TimerName, TimerHandle>();
  const delays = new Map<E & TimerName, number>();

  const stopTimer = (name: E & TimerName): void => {
    clock.clearTimeout(timers.get(name));
    timers.delete(name);
  };

  const clearTimersNotIn = (next: S): void => {
    const keep = spec.timersIn[next];
    for (const name of [...timers.keys()]) if (!keep.includes(name)) stopTimer(name);
  };

  const step = (event: E, data: D | undefined): void => {
    if (state === spec.terminated) return;
    const transition = spec.table[state][event];
    if (!transition) return;
    const from = state;
    state = transition.to;
    clearTimersNotIn(state);
    hooks.transitioned?.(from, state, event);
    for (const action of transition.actions) hooks.perform(action, data, event);
    if (transition.to === spec.terminated) hooks.terminated?.(event);
  };

  const machine: StateMachine<S, E, D> = {
    get state() {
      return state;
    },
    accepts: (event) => spec.table[state][event] !== undefined,
    fire(event, data) {
      queue.push({ event, data });
      if (running) return;
      running = true;
      try {
        for (let next = queue.shift(); next; next = queue.shift()) step(next.event, next.data);
      } finally {
        running = false;
        queue.length = 0;
      }
    },
    startTimer(name, delayMs) {
      stopTimer(name);
      // An action still running after abort() (stop() called from a TU handler) starts nothing.
      if (state === spec.terminated) return;
      delays.set(name, delayMs);
      if (delayMs <= 0) {
        machine.fire(name);
        return;
      }
      timers.set(
        name,
        clock.setTimeout(() => {
          timers.delete(name);
          machine.fire(name);
        }, delayMs),
      );
    },
    stopTimer,
    lastDelay: (name) => delays.get(name),
    abort() {
      for (const name of [...timers.keys()]) stopTimer(name);
      state = spec.terminated;
      queue.length = 0;
    },
    runningTimers: () => timers.size,
  };
  return machine;
}
