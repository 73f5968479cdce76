// The calls side of the agent (ports.ts `CallSide`): the device-side registrar, the INVITE wake
// flow and the proxy that stays in each dialog, and MESSAGE. agent.ts hands it every request
// the registration side does not take, every matched CANCEL, stray ACK and response, and the
// shard's device events.
import { randomBytes } from 'node:crypto';
import type { Bus } from '@sipwake/bus';
import { createUasResponse } from '@sipwake/sip-stack';
import type { ServerTransaction } from '@sipwake/sip-stack';
import { settingsDefaults } from '../config.js';
import { createDeviceBindings } from '../device/bindings.js';
import { createDeviceTokens } from '../device/device-tokens.js';
import { createDigestServers } from '../device/digest-servers.js';
import { createDeviceRegistrar } from '../device/registrar.js';
import { createBusDeviceTokenSink, type DeviceTokenSink } from '../device/token-sink.js';
import { createMessages } from '../messages/messages.js';
import { createBusMessageStore } from '../messages/bus-store.js';
import type { MessageStore } from '../messages/store.js';
import type { CallSide, CallSideDeps } from '../ports.js';
import { createBusCallRecorder, type CallRecorder } from './call-records.js';
import { createCalls } from './calls.js';
import { createDialogs } from './dialogs.js';
import { createBusDeadTokenSink, type DeadTokenSink } from './dead-tokens.js';
import { createPushSender } from './wake-push.js';

/** What the calls side takes beyond ports.ts, each with a default. */
export interface CallSideExtras {
  /**
   * The bus: with it, MESSAGEs are stored and dead tokens reported through the state-persister's
   * record subjects (unless `messageStore` / `deadTokens` are given).
   */
  readonly bus: Bus;
  /** The bound on each record request over the bus (default 5 s). */
  readonly busRequestTimeoutMs: number;
  /** Headers for each bus request (W3C trace context). */
  readonly busHeaders: () => Record<string, string>;
  /** Durable MESSAGE store; without one (and without a bus) a MESSAGE to keep is answered 503. */
  readonly messageStore: MessageStore;
  /** Told about tokens a push provider called dead; default: over the bus, else logged only. */
  readonly deadTokens: DeadTokenSink;
  /**
   * Told about new push data a device-side REGISTER named (RFC 8599); default: over the bus
   * (resent a few times), else logged only. The directory takes it either way.
   */
  readonly deviceTokens: DeviceTokenSink;
  /** Gets one record per inbound call when it ends; default: over the bus, else none. */
  readonly callRecorder: CallRecorder;
  /** The longest device-side binding, seconds (default 300). */
  readonly maxDeviceExpiresS: number;
  /** A device-side REGISTER without an expiry gets this, seconds (default 120). */
  readonly defaultDeviceExpiresS: number;
  /** Binds device-side digest nonces to this agent (default: 32 random bytes). */
  readonly nonceSecret: Buffer;
  /** A dialog with no request for this long is forgotten (default 4 h). */
  readonly dialogIdleMs: number;
  /** Dialogs kept at once (default 100,000). */
  readonly maxDialogs: number;
}

/** Used when a setting is not passed (tests); the process passes its settings (config.ts). */
export const callSideDefaults = {
  busRequestTimeoutMs: settingsDefaults.busRequestTimeoutMs,
  maxDeviceExpiresS: settingsDefaults.maxDeviceExpiresS,
  defaultDeviceExpiresS: settingsDefaults.defaultDeviceExpiresS,
  dialogIdleMs: settingsDefaults.dialogIdleMs,
  maxDialogs: settingsDefaults.maxDialogs,
} as const;

/** RFC 3261 §20.5: what the agent takes outside a dialog. */
export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, MESSAGE, UPDATE, INFO, REFER';

export function createCallSide(deps: CallSideDeps & Partial<CallSideExtras>): CallSide {
  const { layer, directory, clock, config } = deps;
  const log = deps.log.child({ side: 'calls', shard: config.shard });
  const busOptions = deps.bus && {
    bus: deps.bus,
    timeoutMs: deps.busRequestTimeoutMs ?? callSideDefaults.busRequestTimeoutMs,
    ...(deps.busHeaders ? { headers: deps.busHeaders } : {}),
  };
  const reportDeadToken: DeadTokenSink = deps.deadTokens ??
    (busOptions && createBusDeadTokenSink({ ...busOptions, log })) ?? {
      deadToken: ({ selector, deviceId, reason }) =>
        log.warn({ selector, deviceId, reason }, 'dead push token not reported: no sink wired'),
    };
  // The held device stops being pushed at once; the store learns it for the next load.
  const deadTokens: DeadTokenSink = {
    deadToken(report) {
      directory.markTokenDead(report.selector, report.deviceId, report.token);
      reportDeadToken.deadToken(report);
    },
  };
  const deviceTokens: DeviceTokenSink = deps.deviceTokens ??
    (busOptions && createBusDeviceTokenSink({ ...busOptions, clock, log })) ?? {
      deviceToken: ({ selector, deviceId }) =>
        log.warn({ selector, deviceId }, 'device token not stored: no sink wired'),
      stop: () => undefined,
    };
  const messageStore = deps.messageStore ?? (busOptions && createBusMessageStore(busOptions));
  const recorder: CallRecorder = deps.callRecorder ??
    (busOptions && createBusCallRecorder({ ...busOptions, log })) ?? { record: () => undefined };
  const bindings = createDeviceBindings({ directory, clock });
  const pushes = createPushSender({ push: deps.push, deadTokens, log });
  const registrar = createDeviceRegistrar({
    bindings,
    tokens: createDeviceTokens({ directory, sink: deviceTokens, clock, log }),
    digests: createDigestServers({
      directory,
      clock,
      realm: config.realm,
      nonceSecret: deps.nonceSecret ?? randomBytes(32),
    }),
    directory,
    clock,
    log,
    maxExpiresS: deps.maxDeviceExpiresS ?? callSideDefaults.maxDeviceExpiresS,
    defaultExpiresS: deps.defaultDeviceExpiresS ?? callSideDefaults.defaultDeviceExpiresS,
  });
  const dialogs = createDialogs({
    recorder,
    layer,
    clock,
    log,
    config,
    idleMs: deps.dialogIdleMs ?? callSideDefaults.dialogIdleMs,
    maxDialogs: deps.maxDialogs ?? callSideDefaults.maxDialogs,
  });
  const calls = createCalls({
    layer,
    clock,
    log,
    config,
    directory,
    bindings,
    pushes,
    dialogs,
    recorder,
  });
  const messages = createMessages({
    layer,
    clock,
    log,
    config,
    directory,
    bindings,
    pushes,
    store: messageStore,
  });
  // A device registering while a call waits: it is about to answer, and the call forks to it.
  const unsubscribe = bindings.onBound(({ selector, binding }) =>
    calls.deviceBound(selector, binding),
  );
  let stopped = false;

  const refuse = (tx: ServerTransaction, status: number, reason: string, allow = false): void => {
    tx.respond(
      createUasResponse(tx.request, status, reason, allow ? { headers: [['Allow', ALLOW]] } : {}),
    );
  };

  const dispatch = (tx: ServerTransaction): void => {
    const { request } = tx;
    if (stopped) {
      refuse(tx, 503, 'Service Unavailable');
      return;
    }
    if (request.method === 'REGISTER') {
      void registrar.handle(tx);
      return;
    }
    // §12.2: a request with a To tag belongs to a dialog (ours to route, or 481).
    if (request.to().tag !== undefined) {
      dialogs.handleRequest(tx);
      return;
    }
    switch (request.method) {
      case 'INVITE':
        calls.handleInvite(tx);
        return;
      case 'MESSAGE':
        void messages.handle(tx);
        return;
      case 'OPTIONS':
        refuse(tx, 200, 'OK', true);
        return;
      case 'BYE':
        refuse(tx, 481, 'Call/Transaction Does Not Exist');
        return;
      default:
        // §8.2.1: a method the agent does not take outside a dialog.
        refuse(tx, 405, 'Method Not Allowed', true);
    }
  };

  return {
    handleRequest(tx) {
      try {
        dispatch(tx);
      } catch (error) {
        // A header that does not parse where the dispatch reads it (To, Request-URI).
        const parse = error instanceof Error && error.name === 'SipParseError';
        refuse(tx, parse ? 400 : 500, parse ? 'Bad Request' : 'Server Internal Error');
      }
    },
    handleCancel(cancel, cancelled) {
      // §9.2: the CANCEL gets its 200 whatever it cancels.
      cancel.respond(createUasResponse(cancel.request, 200, 'OK'));
      if (calls.handleCancel(cancelled, cancel.request)) return;
      if (dialogs.handleCancel(cancelled)) return;
      cancelled.respond(createUasResponse(cancelled.request, 487, 'Request Terminated'));
    },
    handleStrayAck(inbound) {
      dialogs.handleAck(inbound);
    },
    handleStrayResponse(inbound) {
      // A 2xx retransmission after its client transaction ended: the ACK/BYE of the far end
      // settles it; nothing to forward statefully.
      log.debug(
        { status: inbound.message.type === 'response' ? inbound.message.status : 0 },
        'stray response dropped',
      );
    },
    handleDeviceEvent(event) {
      if (event.type === 'about-to-answer') calls.aboutToAnswer(event.selector, event.callId);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      calls.stop();
      dialogs.stop();
      bindings.stop();
      deviceTokens.stop();
    },
  };
}
