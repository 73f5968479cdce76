import { CallEvent, CallState, callTransitions, nextCallState } from './call-states.js';

describe('the call state table', () => {
  it('ends a call only once: no event leaves Completed or Cancelled', () => {
    for (const event of Object.values(CallEvent)) {
      expect(nextCallState(CallState.Completed, event)).toBeUndefined();
      expect(nextCallState(CallState.Cancelled, event)).toBeUndefined();
    }
  });

  it('lets every waiting state be cancelled, stopped and answered', () => {
    for (const state of [CallState.Proxying, CallState.Waking, CallState.Progressing]) {
      expect(nextCallState(state, CallEvent.Cancel)).toBe(CallState.Cancelled);
      expect(nextCallState(state, CallEvent.Stop)).toBe(CallState.Completed);
      expect(nextCallState(state, CallEvent.Answered)).toBe(CallState.Accepted);
    }
  });

  it('runs T1 only while waking and T2 only once a device made progress or was proxied to', () => {
    const withT1 = Object.entries(callTransitions)
      .filter(([, row]) => row[CallEvent.TimerT1] !== undefined)
      .map(([state]) => state);
    const withT2 = Object.entries(callTransitions)
      .filter(([, row]) => row[CallEvent.TimerT2] !== undefined)
      .map(([state]) => state);
    expect(withT1).toEqual([CallState.Waking]);
    expect(withT2).toEqual([CallState.Proxying, CallState.Progressing]);
  });

  it('falls back to a push only from direct proxying', () => {
    expect(nextCallState(CallState.Proxying, CallEvent.Unreachable)).toBe(CallState.Waking);
    expect(nextCallState(CallState.Progressing, CallEvent.Unreachable)).toBeUndefined();
  });
});
