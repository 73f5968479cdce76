// The dialogs the agent record-routed (RFC 3261 §16.6 step 4): it stays in their path, and
// every request within one (ACK, BYE, re-INVITE, UPDATE, INFO, REFER, …) is forwarded to the
// other side — towards the device on its own flow, towards upstream by loose routing — with
// the responses passed back (§16.7), until the BYE's final response ends the dialog.
import type { SipRequest } from '@sipwake/sip-parser';
import type {
  ClientTransaction,
  Inbound,
  SendTarget,
  ServerTransaction,
  TimerHandle,
  TransactionLayer,
} from '@sipwake/sip-stack';
import { createUasResponse } from '@sipwake/sip-stack';
import { CallOutcome } from '@sipwake/contracts';
import type { AgentClock, CallSideConfig, CallSideLog } from '../ports.js';
import { callRecord, type CallRecorder, type CallSummary } from './call-records.js';
import { nextHop } from './next-hop.js';
import { forwardRequest, relayedResponse, stripOwnRoute, tooManyHops } from './proxy.js';

export interface DialogRecord {
  readonly selector: string;
  readonly callId: string;
  /** The From tag of the INVITE: the upstream side. */
  readonly callerTag: string;
  /** The To tag of the 2xx: the device side. */
  readonly calleeTag: string;
  /** The device's flow (its binding's target). */
  readonly deviceTarget: SendTarget;
  /** Where the INVITE came from (the upstream proxy, through a router). */
  readonly upstreamTarget: SendTarget;
  /** The call that made the dialog: its record is written when the dialog ends. */
  readonly call: CallSummary;
  /** Wall-clock ms of the 2xx. */
  readonly answeredAt: number;
}

export interface Dialogs {
  record(dialog: DialogRecord): void;
  /** Forwards a request within a known dialog; answers 481 when the dialog is unknown. */
  handleRequest(tx: ServerTransaction): void;
  /** The ACK for a 2xx (a request of its own, §13.2.2.4): forwarded statelessly. */
  handleAck(inbound: Inbound): void;
  /** CANCEL of a forwarded re-INVITE; false when `invite` is not one. */
  handleCancel(invite: ServerTransaction): boolean;
  size(): number;
  stop(): void;
}

export interface DialogsOptions {
  readonly layer: TransactionLayer;
  readonly clock: AgentClock;
  readonly log: CallSideLog;
  readonly config: Pick<CallSideConfig, 'publicHost' | 'publicPort'>;
  /** Gets each answered call's record when its dialog ends (BYE, or forgotten). */
  readonly recorder: CallRecorder;
  /** A dialog without any request for this long is forgotten (a lost BYE). */
  readonly idleMs: number;
  /** Dialogs kept at once; the oldest goes first. */
  readonly maxDialogs: number;
}

interface Entry {
  readonly dialog: DialogRecord;
  timer: TimerHandle | undefined;
}

const keyOf = (callId: string, a: string, b: string): string =>
  a < b ? `${callId}\n${a}\n${b}` : `${callId}\n${b}\n${a}`;

export function createDialogs(options: DialogsOptions): Dialogs {
  const { layer, clock, log, config } = options;
  const entries = new Map<string, Entry>();
  /** Forwarded re-INVITEs without a final response, for CANCEL. */
  const reinvites = new Map<ServerTransaction, ClientTransaction>();
  const via = { host: config.publicHost, port: config.publicPort };

  const forget = (key: string): void => {
    const entry = entries.get(key);
    if (!entry) return;
    clock.clearTimeout(entry.timer);
    entries.delete(key);
    const { call, answeredAt } = entry.dialog;
    options.recorder.record(
      callRecord(call, CallOutcome.Answered, { answeredAt, endedAt: clock.epochMs() }),
      call.traceHeaders,
    );
  };

  const touch = (key: string, entry: Entry): void => {
    clock.clearTimeout(entry.timer);
    entry.timer = clock.setTimeout(() => {
      log.info(
        { selector: entry.dialog.selector, callId: entry.dialog.callId },
        'idle dialog forgotten',
      );
      entries.delete(key);
    }, options.idleMs);
  };

  /** The dialog of a request, its key, and where the request goes. */
  const find = (request: SipRequest) => {
    const callId = request.callId();
    const fromTag = request.from().tag ?? '';
    const toTag = request.to().tag ?? '';
    const key = keyOf(callId, fromTag, toTag);
    const entry = entries.get(key);
    if (!entry) return undefined;
    const towardsDevice = fromTag === entry.dialog.callerTag;
    return { key, entry, towardsDevice };
  };

  /** The copy sent on: our Via on top, our Route removed, the next hop. */
  const onward = (request: SipRequest, found: NonNullable<ReturnType<typeof find>>) => {
    const { dialog } = found.entry;
    const known = found.towardsDevice ? dialog.deviceTarget : dialog.upstreamTarget;
    const copy = forwardRequest(request, {
      selector: dialog.selector,
      protocol: known.protocol,
      via,
    });
    stripOwnRoute(copy, dialog.selector);
    // Towards the device: always its own flow (its contact may be a private address).
    const target = found.towardsDevice ? known : nextHop(copy, known);
    return { copy, target };
  };

  return {
    record(dialog) {
      const key = keyOf(dialog.callId, dialog.callerTag, dialog.calleeTag);
      if (!entries.has(key) && entries.size >= options.maxDialogs) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) forget(oldest);
      }
      const entry: Entry = { dialog, timer: undefined };
      entries.set(key, entry);
      touch(key, entry);
    },

    handleRequest(tx) {
      const { request } = tx;
      const found = find(request);
      if (!found) {
        // §12.2.2: "the UAS [...] SHOULD generate a 481 (Call/Transaction Does Not Exist)".
        tx.respond(createUasResponse(request, 481, 'Call/Transaction Does Not Exist'));
        return;
      }
      if (tooManyHops(request)) {
        tx.respond(createUasResponse(request, 483, 'Too Many Hops'));
        return;
      }
      touch(found.key, found.entry);
      const { copy, target } = onward(request, found);
      const relay = (response: Parameters<typeof relayedResponse>[0]): void => {
        const upstream = relayedResponse(response);
        if (upstream) tx.respond(upstream);
      };
      const ended = (status: number): void => {
        reinvites.delete(tx);
        // The BYE's final response ends the dialog; a 481 says the far end has none.
        if (request.method === 'BYE' || status === 481) forget(found.key);
      };
      try {
        const client = layer.sendRequest(copy, target, {
          provisional: (response) => {
            if (response.status !== 100) relay(response);
          },
          final: (response) => {
            ended(response.status);
            relay(response);
          },
          timeout: () => {
            ended(408);
            tx.respond(createUasResponse(request, 408, 'Request Timeout'));
          },
          transportError: () => {
            ended(503);
            tx.respond(createUasResponse(request, 503, 'Service Unavailable'));
          },
        });
        if (request.method === 'INVITE') reinvites.set(tx, client);
      } catch {
        tx.respond(createUasResponse(request, 503, 'Service Unavailable'));
      }
    },

    handleAck(inbound) {
      const request = inbound.message;
      if (request.type !== 'request') return;
      const found = find(request);
      if (!found || tooManyHops(request)) {
        log.debug({ callId: request.callId() }, 'ACK for no known dialog dropped');
        return;
      }
      touch(found.key, found.entry);
      const { copy, target } = onward(request, found);
      layer.sendStateless(copy, target).catch(() => {
        log.debug({ callId: request.callId() }, 'ACK could not be forwarded');
      });
    },

    handleCancel(invite) {
      const client = reinvites.get(invite);
      if (!client) return false;
      try {
        layer.sendCancel(client);
      } catch {
        // Already answered: its final response goes back as usual.
      }
      return true;
    },

    size: () => entries.size,

    stop() {
      for (const entry of entries.values()) {
        clock.clearTimeout(entry.timer);
        // Still up when the agent stops: answered, end unknown.
        const { call, answeredAt } = entry.dialog;
        options.recorder.record(
          callRecord(call, CallOutcome.Answered, { answeredAt, endedAt: null }),
          call.traceHeaders,
        );
      }
      entries.clear();
      reinvites.clear();
    },
  };
}
