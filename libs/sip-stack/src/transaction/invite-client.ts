// The INVITE client transaction: RFC 3261 §17.1.1 (Figure 5) with the RFC 6026 §7.2 Accepted
// state, and the CANCEL timing of §9.1.
import type { SipResponse } from '@sipwake/sip-parser';
import { serializeMessage } from '@sipwake/sip-parser';
import type { ClientInternal, ClientSetup } from './client-core.js';
import { createClientCore } from './client-core.js';
import type { EventData } from './context.js';
import type { MachineSpec } from './machine.js';
import { createStateMachine } from './machine.js';
import { buildNon2xxAck } from './requests.js';
import type { CancelOutcome, InviteClientState } from './types.js';

export type InviteClientEvent =
  | '1xx'
  | '2xx'
  | '300-699'
  | 'timerA'
  | 'timerB'
  | 'timerD'
  | 'timerM'
  | 'timerCancel'
  | 'transportError';

export type InviteClientAction =
  | 'retransmitRequest'
  | 'restartTimerA'
  | 'sendAck'
  | 'responseToTu'
  | 'startTimerD'
  | 'startTimerM'
  | 'informTimeout'
  | 'informTransportError'
  | 'sendPendingCancel';

const toCompleted = {
  // RFC 3261 §17.1.1.2: "When in either the "Calling" or "Proceeding" states, reception of a
  // response with status code from 300-699 MUST cause the client transaction to transition to
  // "Completed". The client transaction MUST pass the received response up to the TU, and the
  // client transaction MUST generate an ACK request, even if the transport is reliable".
  to: 'Completed',
  actions: ['sendAck', 'responseToTu', 'startTimerD'],
} as const;

const toAccepted = {
  // RFC 6026 §7.2: "When in either the "Calling" or "Proceeding" states, reception of a 2xx
  // response MUST cause the client transaction to enter the "Accepted" state, and the response
  // MUST be passed up to the TU. The client transaction MUST NOT generate an ACK to the 2xx
  // response -- its handling is delegated to the TU."
  to: 'Accepted',
  actions: ['responseToTu', 'startTimerM'],
} as const;

export const inviteClientMachine: MachineSpec<
  InviteClientState,
  InviteClientEvent,
  InviteClientAction
> = {
  initial: 'Calling',
  terminated: 'Terminated',
  table: {
    Calling: {
      // §17.1.1.2: "When timer A fires, the client transaction MUST retransmit the request by
      // passing it to the transport layer, and MUST reset the timer with a value of 2*T1."
      timerA: { to: 'Calling', actions: ['retransmitRequest', 'restartTimerA'] },
      // "If the client transaction is still in the "Calling" state when timer B fires, the
      // client transaction SHOULD inform the TU that a timeout has occurred."
      timerB: { to: 'Terminated', actions: ['informTimeout'] },
      // "If the client transaction receives a provisional response while in the "Calling"
      // state, it transitions to the "Proceeding" state. [...] Furthermore, the provisional
      // response MUST be passed to the TU." §9.1: a CANCEL waiting for this provisional goes now.
      '1xx': { to: 'Proceeding', actions: ['responseToTu', 'sendPendingCancel'] },
      '2xx': toAccepted,
      '300-699': toCompleted,
      // Figure 5: "Timer B fires or Transport Err. / inform TU".
      transportError: { to: 'Terminated', actions: ['informTransportError'] },
    },
    Proceeding: {
      // "Any further provisional responses MUST be passed up to the TU while in the
      // "Proceeding" state." (and "SHOULD NOT retransmit the request any longer").
      '1xx': { to: 'Proceeding', actions: ['responseToTu'] },
      '2xx': toAccepted,
      '300-699': toCompleted,
      // §9.1: "If no final response has been received after 64*T1 seconds, the client SHOULD
      // then consider the original transaction cancelled and SHOULD destroy the client
      // transaction handling the original request."
      timerCancel: { to: 'Terminated', actions: ['informTimeout'] },
    },
    Completed: {
      // "Any retransmissions of the final response that are received while in the "Completed"
      // state MUST cause the ACK to be re-passed to the transport layer for retransmission, but
      // the newly received response MUST NOT be passed up to the TU."
      '300-699': { to: 'Completed', actions: ['sendAck'] },
      // "If timer D fires while the client transaction is in the "Completed" state, the client
      // transaction MUST move to the terminated state."
      timerD: { to: 'Terminated', actions: [] },
      // Figure 5: "Transport Err. / Inform TU".
      transportError: { to: 'Terminated', actions: ['informTransportError'] },
    },
    Accepted: {
      // RFC 6026 §7.2: "A 2xx response received while in the "Accepted" state MUST be passed to
      // the TU and the machine remains in the "Accepted" state."
      '2xx': { to: 'Accepted', actions: ['responseToTu'] },
      // RFC 6026 §8.4: "If timer M fires while the client transaction is in the "Accepted"
      // state, the client transaction MUST move to the "Terminated" state."
      timerM: { to: 'Terminated', actions: [] },
    },
    Terminated: {},
  },
  timersIn: {
    Calling: ['timerA', 'timerB'],
    Proceeding: ['timerCancel'],
    Completed: ['timerD'],
    Accepted: ['timerM'],
    Terminated: [],
  },
};

function classify(status: number): InviteClientEvent {
  if (status < 200) return '1xx';
  return status < 300 ? '2xx' : '300-699';
}

export function createInviteClientTransaction(setup: ClientSetup): ClientInternal {
  const { ctx, request } = setup;
  const core = createClientCore(setup, 'invite', () => machine);
  const requestBytes = serializeMessage(request);
  let ackBytes: Buffer | undefined;
  let pendingCancel: (() => void) | undefined;

  const machine = createStateMachine<
    InviteClientState,
    InviteClientEvent,
    InviteClientAction,
    EventData
  >(inviteClientMachine, ctx.clock, {
    perform(action, data, event) {
      switch (action) {
        case 'retransmitRequest':
          return send(requestBytes);
        case 'restartTimerA':
          return machine.startTimer('timerA', ctx.timers.timerA(machine.lastDelay('timerA')));
        case 'sendAck': {
          // §17.1.1.3: the ACK is built once, from the response being acknowledged, and the
          // same ACK answers every retransmission of that response.
          const ack = (ackBytes ??= serializeMessage(
            buildNon2xxAck(request, data?.response as SipResponse),
          ));
          return send(ack);
        }
        case 'responseToTu': {
          const response = data?.response as SipResponse;
          return event === '1xx' ? core.provisional(response) : core.final(response);
        }
        case 'startTimerD':
          // §17.1.1.2: "The client transaction SHOULD start timer D when it enters the
          // "Completed" state, with a value of at least 32 seconds for unreliable transports,
          // and a value of zero seconds for reliable transports."
          return machine.startTimer('timerD', ctx.timers.timerD(core.reliable));
        case 'startTimerM':
          // RFC 6026 §7.2: "The client transaction MUST start timer M when it enters the
          // "Accepted" state. Timer M's value is 64*T1."
          return machine.startTimer('timerM', ctx.timers.timerM());
        case 'informTimeout':
          return core.timeout(event === 'timerCancel' ? 'timerCancel' : 'timerB');
        case 'informTransportError':
          return core.transportError(data?.error);
        case 'sendPendingCancel':
          return sendCancel();
      }
    },
    terminated: () => {
      // §9.1: "If the original request has generated a final response, the CANCEL SHOULD
      // NOT be sent": a CANCEL still waiting for a provisional response is dropped.
      pendingCancel = undefined;
      core.terminated();
    },
  });

  function send(message: Buffer): void {
    core.send(message, (error) => machine.fire('transportError', { error }));
  }

  function sendCancel(): void {
    const sendNow = pendingCancel;
    pendingCancel = undefined;
    if (!sendNow) return;
    sendNow();
    machine.startTimer('timerCancel', ctx.timers.timerCancel());
  }

  let cancelRequested = false;
  return {
    transaction: core.transaction,
    start() {
      // §17.1.1.2: "The client transaction MUST pass the request to the transport layer for
      // transmission. If an unreliable transport is being used, the client transaction MUST
      // start timer A with a value of T1. [...] For any transport, the client transaction MUST
      // start timer B with a value of 64*T1 seconds".
      send(requestBytes);
      if (!core.reliable) machine.startTimer('timerA', ctx.timers.timerA(undefined));
      machine.startTimer('timerB', ctx.timers.timerB());
    },
    receive(response) {
      machine.fire(classify(response.status), { response });
    },
    abort() {
      pendingCancel = undefined;
      machine.abort();
      core.terminated('stopped');
    },
    cancel(send): CancelOutcome {
      switch (machine.state) {
        case 'Calling':
          // §9.1: "If no provisional response has been received, the CANCEL request MUST NOT be
          // sent; rather, the client MUST wait for the arrival of a provisional response".
          if (!cancelRequested) pendingCancel = send;
          cancelRequested = true;
          return 'pending';
        case 'Proceeding':
          if (!cancelRequested) {
            pendingCancel = send;
            sendCancel();
          }
          cancelRequested = true;
          return 'sent';
        default:
          return 'too-late';
      }
    },
  };
}
