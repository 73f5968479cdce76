// The pushes of a call: what a PushRequest carries (caller from From, the Call-ID, the SIP host
// the app registers to), and what the results mean to the call and to the directory.
import { PushOutcome, PushType, sipHostFor } from '@sipwake/contracts';
import type { InstanceDevice, PushDevice, PushRequest, PushResults } from '@sipwake/contracts';
import type { SipRequest } from '@sipwake/sip-parser';
import type { AgentInstance, CallSideConfig, CallSideLog, PushClient } from '../ports.js';
import type { DeadTokenSink } from './dead-tokens.js';

export function pushDevice(device: InstanceDevice): PushDevice {
  return {
    deviceId: device.deviceId,
    provider: device.provider,
    token: device.token,
    ...(device.voipToken === null ? {} : { voipToken: device.voipToken }),
    appId: device.appId,
    platform: device.platform,
    ...(device.topic === null ? {} : { topic: device.topic }),
  };
}

/** The caller as the push shows it: the From URI and display name. */
export function callerOf(request: SipRequest): PushRequest['caller'] {
  try {
    const from = request.from();
    return {
      uri: from.uriText.slice(0, 1024),
      ...(from.displayName === undefined ? {} : { displayName: from.displayName.slice(0, 256) }),
    };
  } catch {
    return undefined;
  }
}

/** The push request for `type` about `request`, or undefined when the instance has no device. */
export function pushRequestFor(
  type: PushType,
  instance: AgentInstance,
  request: SipRequest | undefined,
  config: Pick<CallSideConfig, 'sipHost' | 'hostPrefixLength'>,
): PushRequest | undefined {
  // A device whose token a provider declared dead is not pushed until its app sends a new one.
  const pushable = instance.devices.filter((d) => d.tokenDead !== true);
  if (pushable.length === 0) return undefined;
  const caller = request === undefined ? undefined : callerOf(request);
  return {
    type,
    selector: instance.selector,
    ...(request === undefined ? {} : { callId: request.callId().slice(0, 256) }),
    ...(caller === undefined ? {} : { caller }),
    host: sipHostFor(instance.selector, config.hostPrefixLength, config.sipHost),
    devices: pushable.slice(0, 64).map(pushDevice),
  };
}

export interface PushSummary {
  /** At least one provider accepted the push. */
  readonly sent: boolean;
}

const deadOutcomes: readonly PushOutcome[] = [PushOutcome.BadToken, PushOutcome.Unregistered];

export interface PushSender {
  /** Sends; resolves with what it achieved (never rejects: a failed push is `sent: false`). */
  send(request: PushRequest): Promise<PushSummary>;
}

export function createPushSender(deps: {
  readonly push: PushClient;
  readonly deadTokens: DeadTokenSink;
  readonly log: CallSideLog;
}): PushSender {
  const { push, deadTokens, log } = deps;
  const apply = (request: PushRequest, results: PushResults): PushSummary => {
    for (const r of results.results) {
      if (deadOutcomes.includes(r.outcome)) {
        log.info(
          { selector: request.selector, deviceId: r.deviceId, outcome: r.outcome },
          'push token is dead',
        );
        const device = request.devices.find((d) => d.deviceId === r.deviceId);
        if (device) {
          deadTokens.deadToken({
            selector: request.selector,
            deviceId: r.deviceId,
            // The call push may have gone to the VoIP token: the store matches either.
            token:
              request.type === PushType.Call ? (device.voipToken ?? device.token) : device.token,
            reason: r.outcome === PushOutcome.BadToken ? 'bad-token' : 'unregistered',
          });
        }
      }
    }
    return { sent: results.results.some((r) => r.outcome === PushOutcome.Sent) };
  };
  return {
    async send(request) {
      try {
        return apply(request, await push.push(request));
      } catch (error) {
        log.warn(
          {
            selector: request.selector,
            callId: request.callId,
            type: request.type,
            code: (error as { code?: unknown } | null)?.code ?? 'unknown',
          },
          'push failed',
        );
        return { sent: false };
      }
    },
  };
}
