// The calls of the shard that have no final answer yet (and those answered whose INVITE
// transaction still lives): new INVITEs start one, CANCEL, device events and device-side
// registrations reach the ones they concern. Two INVITEs for one instance are two calls.
import { selectorFromUri } from '@sipwake/sip-relay';
import type { SipRequest } from '@sipwake/sip-parser';
import { createUasResponse } from '@sipwake/sip-stack';
import type { ServerTransaction, TransactionLayer } from '@sipwake/sip-stack';
import type {
  AgentClock,
  CallSideConfig,
  CallSideLog,
  DeviceBinding,
  InstanceDirectory,
} from '../ports.js';
import type { CallRecorder } from './call-records.js';
import type { DeviceBindings } from '../device/bindings.js';
import { createCall, type Call } from './call.js';
import type { Dialogs } from './dialogs.js';
import { targetOfFlow } from './proxy.js';
import type { PushSender } from './wake-push.js';

export interface CallsOptions {
  readonly layer: TransactionLayer;
  readonly clock: AgentClock;
  readonly log: CallSideLog;
  readonly config: CallSideConfig;
  readonly directory: InstanceDirectory;
  readonly bindings: DeviceBindings;
  readonly pushes: PushSender;
  readonly dialogs: Dialogs;
  readonly recorder: CallRecorder;
}

export interface Calls {
  /** A new INVITE outside any dialog. */
  handleInvite(tx: ServerTransaction): void;
  /** CANCEL of a call's INVITE; false when `invite` starts no call here. */
  handleCancel(invite: ServerTransaction, cancel: SipRequest): boolean;
  aboutToAnswer(selector: string, callId: string): void;
  deviceBound(selector: string, binding: DeviceBinding): void;
  size(): number;
  /** 503 to every call not answered yet. */
  stop(): void;
}

/** The selector an initial INVITE names: the Request-URI (user part or our parameter). */
export function inviteSelector(request: SipRequest): string | undefined {
  try {
    return selectorFromUri(request.requestUri());
  } catch {
    return undefined;
  }
}

export function createCalls(options: CallsOptions): Calls {
  const { directory, bindings, dialogs } = options;
  const byTx = new Map<ServerTransaction, Call>();
  const bySelector = new Map<string, Set<Call>>();

  const forget = (tx: ServerTransaction, call: Call): void => {
    byTx.delete(tx);
    const set = bySelector.get(call.selector);
    set?.delete(call);
    if (set?.size === 0) bySelector.delete(call.selector);
  };

  const callsOf = (selector: string): Call[] => [...(bySelector.get(selector) ?? [])];

  return {
    handleInvite(tx) {
      const selector = inviteSelector(tx.request);
      if (selector === undefined || directory.get(selector) === undefined) {
        tx.respond(createUasResponse(tx.request, 404, 'Not Found'));
        return;
      }
      const call: Call = createCall({
        tx,
        selector,
        instance: () => directory.get(selector),
        liveBindings: () => bindings.live(selector),
        layer: options.layer,
        clock: options.clock,
        log: options.log,
        config: options.config,
        pushes: options.pushes,
        recorder: options.recorder,
        onAccepted: (branch, response, summary) => {
          dialogs.record({
            selector,
            callId: call.callId,
            callerTag: tx.request.from().tag ?? '',
            calleeTag: response.to().tag ?? '',
            deviceTarget: branch.binding.target,
            upstreamTarget: targetOfFlow(tx.flow),
            call: summary,
            answeredAt: options.clock.epochMs(),
          });
        },
        onEnded: () => forget(tx, call),
      });
      byTx.set(tx, call);
      let set = bySelector.get(selector);
      if (!set) bySelector.set(selector, (set = new Set()));
      set.add(call);
      call.start();
    },

    handleCancel(invite, cancel) {
      const call = byTx.get(invite);
      if (!call) return false;
      call.cancel(cancel);
      return true;
    },

    aboutToAnswer(selector, callId) {
      for (const call of callsOf(selector)) if (call.callId === callId) call.aboutToAnswer();
    },

    deviceBound(selector, binding) {
      for (const call of callsOf(selector)) call.deviceBound(binding);
    },

    size: () => byTx.size,

    stop() {
      for (const call of byTx.values()) call.stop();
    },
  };
}
