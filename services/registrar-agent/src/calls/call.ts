// One incoming INVITE to an instance (DESIGN.md "Calls, step by step"): proxied at once to a
// live device binding, or 180 + push + T1, progress + T2, a fork to each device that registers,
// first 2xx wins. The moves are the table in call-states.ts; this file does what each one says.
import { CallOutcome, PushType } from '@sipwake/contracts';
import type { SipRequest, SipResponse } from '@sipwake/sip-parser';
import { recordRouteFor } from '@sipwake/sip-relay';
import { createUasResponse, newTag } from '@sipwake/sip-stack';
import type { ServerTransaction, TimerHandle, TransactionLayer } from '@sipwake/sip-stack';
import { injectTraceContext } from '@sipwake/telemetry';
import type {
  AgentClock,
  AgentInstance,
  CallSideConfig,
  CallSideLog,
  DeviceBinding,
} from '../ports.js';
import { callRecord, type CallRecorder, type CallSummary } from './call-records.js';
import { createBranchSet, type Branch } from './branches.js';
import { CallEvent, CallState, nextCallState } from './call-states.js';
import { bestResponse, forwardRequest, relayedResponse, tooManyHops } from './proxy.js';
import { PUSH_STATUS_HEADER, PushStatus, REASON_HEADER, WakeFailure } from './push-status.js';
import { callerOf, pushRequestFor, type PushSender } from './wake-push.js';

export interface CallDeps {
  readonly tx: ServerTransaction;
  readonly selector: string;
  /** The instance as the directory holds it now (devices to push, at start and at CANCEL). */
  readonly instance: () => AgentInstance | undefined;
  readonly liveBindings: () => readonly DeviceBinding[];
  readonly layer: TransactionLayer;
  readonly clock: AgentClock;
  readonly log: CallSideLog;
  readonly config: CallSideConfig;
  readonly pushes: PushSender;
  /** Gets the call's record when it ends unanswered (an answered call's comes at its BYE). */
  readonly recorder: CallRecorder;
  /** A branch's 2xx went upstream: the dialog it makes is routed from now on. */
  readonly onAccepted: (branch: Branch, response: SipResponse, call: CallSummary) => void;
  /** The INVITE server transaction ended: forget the call. */
  readonly onEnded: () => void;
}

export interface Call {
  readonly callId: string;
  readonly selector: string;
  state(): CallState;
  start(): void;
  aboutToAnswer(): void;
  deviceBound(binding: DeviceBinding): void;
  /** CANCEL from upstream (its 200 is the caller's to send). */
  cancel(cancel: SipRequest): void;
  /** The agent stops: 503 to a call not answered yet. */
  stop(): void;
}

/** Final responses that say the device was not reached, rather than that it refused. */
const unreachable = (r: SipResponse): boolean => [408, 480, 503].includes(r.status);

/** RFC 3326 §2: the Reason a proxy puts in the CANCELs of the branches that lost to a 2xx. */
const ANSWERED_ELSEWHERE = [['Reason', 'SIP;cause=200;text="Call completed elsewhere"']] as const;

export function createCall(deps: CallDeps): Call {
  const { tx, selector, layer, clock, config, pushes } = deps;
  const request = tx.request;
  const callId = request.callId();
  const log = deps.log.child({ selector, callId });
  // RFC 3261 §8.2.6.2: one To tag for every response the agent itself sends to this INVITE.
  const toTag = newTag();
  let state: CallState = CallState.Waking;
  const startedAt = clock.epochMs();
  // The INVITE is handled in the span that continues the router's trace: the call's record,
  // written when a later message ends the call, joins that trace too.
  const traceHeaders = injectTraceContext({});
  let pushStatus: PushStatus | null = null;
  const summary = (): CallSummary => ({
    selector,
    callId,
    caller: callerOf(request)?.uri ?? null,
    startedAt,
    pushStatus,
    traceHeaders,
  });
  /** The record of a call that ends here, unanswered. */
  const finish = (outcome: CallOutcome): void =>
    deps.recorder.record(
      callRecord(summary(), outcome, { answeredAt: null, endedAt: clock.epochMs() }),
      traceHeaders,
    );
  let timerT1: TimerHandle | undefined;
  let timerT2: TimerHandle | undefined;
  const routerAddress = {
    host: config.publicHost,
    port: config.publicPort,
    protocol: config.publicTransport,
  };

  const clearTimers = (): void => {
    clock.clearTimeout(timerT1);
    clock.clearTimeout(timerT2);
    timerT1 = timerT2 = undefined;
  };

  /** Moves by the table; runs `action` only when the event means something in this state. */
  const fire = (event: CallEvent, action?: (from: CallState) => void): void => {
    const next = nextCallState(state, event);
    if (next === undefined) {
      log.debug({ state, event }, 'call event changes nothing');
      return;
    }
    const from = state;
    state = next;
    log.debug({ from, event, to: next }, 'call moved');
    if (
      next === CallState.Accepted ||
      next === CallState.Completed ||
      next === CallState.Cancelled
    ) {
      clearTimers();
    }
    action?.(from);
  };

  const respond = (
    status: number,
    reason: string,
    headers: readonly (readonly [string, string])[] = [],
  ): void => {
    tx.respond(createUasResponse(request, status, reason, { toTag, headers }));
  };
  const ringing = (status: PushStatus): void => {
    pushStatus = status;
    respond(180, 'Ringing', [[PUSH_STATUS_HEADER, status]]);
  };
  const unavailable = (why: WakeFailure): void => {
    log.info({ reason: why }, 'call not answered');
    respond(480, 'Temporarily Unavailable', [[REASON_HEADER, why]]);
  };
  const relay = (response: SipResponse): void => {
    const upstream = relayedResponse(response);
    if (upstream) tx.respond(upstream);
  };

  // Each start replaces the timer it restarts: a call has at most one T1 and one T2 running.
  const startT1 = (): void => {
    clock.clearTimeout(timerT1);
    timerT1 = clock.setTimeout(() => {
      timerT1 = undefined;
      fire(CallEvent.TimerT1, () => {
        branches.cancelPending();
        unavailable(WakeFailure.NoResponseFromDevice);
        finish(CallOutcome.Missed);
      });
    }, config.wakeT1Ms);
  };
  const startT2 = (): void => {
    clock.clearTimeout(timerT2);
    timerT2 = clock.setTimeout(() => {
      timerT2 = undefined;
      fire(CallEvent.TimerT2, () => {
        branches.cancelPending();
        unavailable(WakeFailure.DeviceDidNotAnswer);
        finish(CallOutcome.Missed);
      });
    }, config.wakeT2Ms);
  };

  const branches = createBranchSet(layer, {
    provisional(_branch, response) {
      // §16.7 step 5: provisional responses other than 100 are forwarded at once.
      if (response.status === 100) return;
      if (state === CallState.Accepted || state === CallState.Completed) return;
      if (state === CallState.Cancelled) return;
      relay(response);
    },
    success(branch, response) {
      fire(CallEvent.Answered, (from) => {
        if (from !== CallState.Accepted) {
          // "first 2xx wins": the other branches are cancelled (§16.7 step 10).
          branches.cancelPending(ANSWERED_ELSEWHERE);
          deps.onAccepted(branch, response, summary());
          log.info({ deviceId: branch.binding.deviceId }, 'call answered');
        }
        relay(response);
      });
    },
    failure() {
      if (branches.pending() > 0) return;
      const finals = branches.finals();
      const refusals = finals.filter((r) => !unreachable(r));
      if (refusals.length === 0) {
        fire(CallEvent.Unreachable, (from) => {
          if (from === CallState.Proxying) wake();
        });
        return;
      }
      fire(CallEvent.Rejected, () => {
        const best = bestResponse(refusals);
        if (best) relay(best);
        // A device that declines says 486 Busy Here, 600 Busy Everywhere or 603 Decline.
        const declined = best !== undefined && [486, 600, 603].includes(best.status);
        finish(declined ? CallOutcome.Rejected : CallOutcome.Failed);
      });
    },
  });

  const fork = (binding: DeviceBinding): void => {
    log.debug({ deviceId: binding.deviceId }, 'forking the INVITE to a device');
    branches.fork(
      binding,
      forwardRequest(request, {
        selector,
        requestUri: binding.contact,
        recordRoute: recordRouteFor(selector, routerAddress),
        protocol: binding.target.protocol,
        via: { host: config.publicHost, port: config.publicPort },
      }),
    );
  };

  /** Step 3: 180 Alerting-Device, a push to every device, T1. */
  const wake = (): void => {
    // From direct proxying: the T2 of that attempt ends, T1 of the wake-up starts.
    clock.clearTimeout(timerT2);
    timerT2 = undefined;
    const instance = deps.instance();
    const push = instance && pushRequestFor(PushType.Call, instance, request, config);
    if (!push) {
      fire(CallEvent.PushFailed, () => {
        unavailable(WakeFailure.NoDevice);
        finish(CallOutcome.Failed);
      });
      return;
    }
    ringing(PushStatus.AlertingDevice);
    startT1();
    void pushes.send(push).then((summary) => {
      if (summary.sent) fire(CallEvent.PushSent, () => ringing(PushStatus.PushNotificationSent));
      else
        fire(CallEvent.PushFailed, () => {
          unavailable(WakeFailure.PushFailed);
          finish(CallOutcome.Failed);
        });
    });
  };

  /** A device makes progress: 180 Device-Making-Progress, T1 stops, T2 starts. */
  const progress = (): void => {
    ringing(PushStatus.DeviceMakingProgress);
    clock.clearTimeout(timerT1);
    timerT1 = undefined;
    startT2();
  };

  tx.onTerminated(() => {
    clearTimers();
    deps.onEnded();
  });

  return {
    callId,
    selector,
    state: () => state,
    start() {
      if (tooManyHops(request)) {
        state = CallState.Completed;
        respond(483, 'Too Many Hops');
        finish(CallOutcome.Failed);
        return;
      }
      const live = deps.liveBindings();
      if (live.length > 0) {
        // Step 2: a device is connected; the INVITE goes to it at once.
        state = CallState.Proxying;
        startT2();
        for (const binding of live) fork(binding);
        return;
      }
      state = CallState.Waking;
      wake();
    },
    aboutToAnswer() {
      fire(CallEvent.AboutToAnswer, () => progress());
    },
    deviceBound(binding) {
      if (branches.covers(binding.key)) return;
      fire(CallEvent.DeviceBound, (from) => {
        if (from === CallState.Waking) progress();
        fork(binding);
      });
    },
    cancel(cancel) {
      const reasons = cancel.headers.getAll('reason');
      let elsewhere = false;
      try {
        elsewhere = cancel
          .reasons()
          .some((r) => r.protocol.toUpperCase() === 'SIP' && r.cause === 200);
      } catch {
        // An unreadable Reason is no "answered elsewhere".
      }
      fire(CallEvent.Cancel, () => {
        // RFC 3326 §2: the Reason of a CANCEL goes on in the CANCELs the proxy sends.
        branches.cancelPending(reasons.map((r) => ['Reason', r] as const));
        respond(487, 'Request Terminated');
        finish(elsewhere ? CallOutcome.AnsweredElsewhere : CallOutcome.Cancelled);
        const instance = deps.instance();
        const type = elsewhere ? PushType.AnsweredElsewhere : PushType.MissedCall;
        const push = instance && pushRequestFor(type, instance, request, config);
        if (push) void pushes.send(push);
      });
    },
    stop() {
      fire(CallEvent.Stop, () => {
        branches.cancelPending();
        respond(503, 'Service Unavailable');
        finish(CallOutcome.Failed);
      });
    },
  };
}
