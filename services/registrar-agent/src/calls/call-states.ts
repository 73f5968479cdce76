// One incoming INVITE's life in the agent, as a table (DESIGN.md "Calls, step by step", with
// the proxy rules of RFC 3261 §16.7). Rows are states, columns events; a missing cell means the
// event changes nothing in that state.

export const CallState = {
  /** Step 2: a device binding was live; the INVITE went to it at once, T2 runs. */
  Proxying: 'proxying',
  /** Step 3: 180 Alerting-Device sent, a push is out, T1 runs. */
  Waking: 'waking',
  /** Steps 3–4: a device is about to answer or registered; T2 runs, branches fork to devices. */
  Progressing: 'progressing',
  /** A 2xx went upstream (the server transaction is in RFC 6026 Accepted). */
  Accepted: 'accepted',
  /** A final non-2xx went upstream (480, a device's refusal, 503 at stop). */
  Completed: 'completed',
  /** Step 5: CANCEL from upstream; 487 sent. */
  Cancelled: 'cancelled',
} as const;
export type CallState = (typeof CallState)[keyof typeof CallState];

export const CallEvent = {
  /** The push provider accepted the push for a device. */
  PushSent: 'push-sent',
  /** No device could be pushed. */
  PushFailed: 'push-failed',
  /** A device event `about-to-answer` for this Call-ID. */
  AboutToAnswer: 'about-to-answer',
  /** A device registered on the device side (a fork to it follows). */
  DeviceBound: 'device-bound',
  TimerT1: 'timer-t1',
  TimerT2: 'timer-t2',
  /** A branch answered 2xx. */
  Answered: 'answered',
  /** Every branch ended, one with a refusal (not a timeout or an unreachable device). */
  Rejected: 'rejected',
  /** Every branch ended unreachable (408, 480, 503, no answer at all). */
  Unreachable: 'unreachable',
  Cancel: 'cancel',
  Stop: 'stop',
} as const;
export type CallEvent = (typeof CallEvent)[keyof typeof CallEvent];

const S = CallState;
const E = CallEvent;

export const callTransitions: Readonly<
  Record<CallState, Readonly<Partial<Record<CallEvent, CallState>>>>
> = {
  [S.Proxying]: {
    [E.DeviceBound]: S.Proxying, // fork to it too
    [E.TimerT2]: S.Completed, // 480 Device-Did-Not-Answer
    [E.Answered]: S.Accepted,
    [E.Rejected]: S.Completed, // best response (§16.7 step 6)
    [E.Unreachable]: S.Waking, // the binding was stale: wake the app instead
    [E.Cancel]: S.Cancelled,
    [E.Stop]: S.Completed,
  },
  [S.Waking]: {
    [E.PushSent]: S.Waking, // 180 Push-Notification-Sent
    [E.PushFailed]: S.Completed, // 480 Push-Failed
    [E.AboutToAnswer]: S.Progressing, // 180 Device-Making-Progress, T1 stops, T2 starts
    [E.DeviceBound]: S.Progressing, // the same, and fork to it
    [E.TimerT1]: S.Completed, // 480 No-Response-From-Device
    [E.Answered]: S.Accepted,
    [E.Cancel]: S.Cancelled,
    [E.Stop]: S.Completed,
  },
  [S.Progressing]: {
    [E.PushSent]: S.Progressing, // 180 Push-Notification-Sent
    [E.DeviceBound]: S.Progressing, // fork to it
    [E.TimerT2]: S.Completed, // 480 Device-Did-Not-Answer
    [E.Answered]: S.Accepted,
    [E.Rejected]: S.Completed,
    [E.Cancel]: S.Cancelled,
    [E.Stop]: S.Completed,
  },
  [S.Accepted]: {
    [E.Answered]: S.Accepted, // §16.7 step 5: every 2xx is forwarded
  },
  [S.Completed]: {},
  [S.Cancelled]: {},
};

/** The state `event` leads to from `state`, or undefined when it changes nothing there. */
export function nextCallState(state: CallState, event: CallEvent): CallState | undefined {
  return callTransitions[state][event];
}
