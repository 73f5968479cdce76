// The INVITE server transaction: RFC 3261 §17.2.1 (Figure 7) with the RFC 6026 §7.1 Accepted
// state, and the automatic 100 Trying.
import type { SipResponse } from '@sipwake/sip-parser';
import type { EventData } from './context.js';
import type { MachineSpec } from './machine.js';
import { createStateMachine } from './machine.js';
import { buildTrying } from './requests.js';
import type { ServerInternal, ServerSetup } from './server-core.js';
import { createServerCore } from './server-core.js';
import type { InviteServerState } from './types.js';

export type InviteServerEvent =
  | 'INVITE'
  | 'ACK'
  | '1xx from TU'
  | '2xx from TU'
  | '300-699 from TU'
  | 'timerTrying'
  | 'timerG'
  | 'timerH'
  | 'timerI'
  | 'timerL'
  | 'transportError';

export type InviteServerAction =
  | 'send100Trying'
  | 'stopTimerTrying'
  | 'sendResponse'
  | 'resendProvisional'
  | 'resendFinal'
  | 'startTimerG'
  | 'restartTimerG'
  | 'startTimerH'
  | 'startTimerI'
  | 'startTimerL'
  | 'ackToTu'
  | 'informTimeout'
  | 'informTransportError';

export const inviteServerMachine: MachineSpec<
  InviteServerState,
  InviteServerEvent,
  InviteServerAction
> = {
  initial: 'Proceeding',
  terminated: 'Terminated',
  table: {
    Proceeding: {
      // RFC 3261 §17.2.1: "If a request retransmission is received while in the "Proceeding"
      // state, the most recent provisional response that was received from the TU MUST be
      // passed to the transport layer for retransmission."
      INVITE: { to: 'Proceeding', actions: ['resendProvisional'] },
      // "The server transaction MUST generate a 100 (Trying) response unless it knows that the
      // TU will generate a provisional or final response within 200 ms".
      timerTrying: { to: 'Proceeding', actions: ['send100Trying'] },
      // "So long as the server transaction is in the "Proceeding" state, each of these MUST be
      // passed to the transport layer for transmission."
      '1xx from TU': { to: 'Proceeding', actions: ['stopTimerTrying', 'sendResponse'] },
      // RFC 6026 §8.5: "If, while in the "Proceeding" state, the TU passes a 2xx response to
      // the server transaction, the server transaction MUST pass this response to the
      // transport layer for transmission. It is not retransmitted by the server transaction;
      // retransmissions of 2xx responses are handled by the TU. The server transaction MUST
      // then transition to the "Accepted" state."
      '2xx from TU': { to: 'Accepted', actions: ['sendResponse', 'startTimerL'] },
      // RFC 3261 §17.2.1: "If, while in the "Proceeding" state, the TU passes a response with
      // status code from 300 to 699 to the server transaction, the response MUST be passed to
      // the transport layer for transmission, and the state machine MUST enter the "Completed"
      // state."
      '300-699 from TU': {
        to: 'Completed',
        actions: ['sendResponse', 'startTimerG', 'startTimerH'],
      },
      // Figure 7: "Transport Err. / Inform TU".
      transportError: { to: 'Terminated', actions: ['informTransportError'] },
    },
    Completed: {
      // "while in the "Completed" state, if a request retransmission is received, the server
      // SHOULD pass the response to the transport for retransmission."
      INVITE: { to: 'Completed', actions: ['resendFinal'] },
      // "If timer G fires, the response is passed to the transport layer once more for
      // retransmission, and timer G is set to fire in MIN(2*T1, T2) seconds."
      timerG: { to: 'Completed', actions: ['resendFinal', 'restartTimerG'] },
      // "If an ACK is received while the server transaction is in the "Completed" state, the
      // server transaction MUST transition to the "Confirmed" state. As Timer G is ignored in
      // this state, any retransmissions of the response will cease."
      ACK: { to: 'Confirmed', actions: ['startTimerI'] },
      // "If timer H fires while in the "Completed" state, it implies that the ACK was never
      // received. In this case, the server transaction MUST transition to the "Terminated"
      // state, and MUST indicate to the TU that a transaction failure has occurred."
      timerH: { to: 'Terminated', actions: ['informTimeout'] },
      // Figure 7: "Timer H fires or Transport Err. / Inform TU".
      transportError: { to: 'Terminated', actions: ['informTransportError'] },
    },
    Confirmed: {
      // "The purpose of the "Confirmed" state is to absorb any additional ACK messages that
      // arrive, triggered from retransmissions of the final response."
      ACK: { to: 'Confirmed', actions: [] },
      INVITE: { to: 'Confirmed', actions: [] },
      // "Once timer I fires, the server MUST transition to the "Terminated" state."
      timerI: { to: 'Terminated', actions: [] },
    },
    Accepted: {
      // RFC 6026 §8.7: "The purpose of the "Accepted" state is to absorb retransmissions of an
      // accepted INVITE request. Any such retransmissions are absorbed entirely within the
      // server transaction. They are not passed up to the TU".
      INVITE: { to: 'Accepted', actions: [] },
      // "If an ACK is received while the INVITE server transaction is in the "Accepted" state,
      // then the ACK must be passed up to the TU."
      ACK: { to: 'Accepted', actions: ['ackToTu'] },
      // "While in the "Accepted" state, any retransmissions of the 2xx response passed from the
      // TU to the server transaction MUST be passed on to the transport layer for transmission."
      '2xx from TU': { to: 'Accepted', actions: ['sendResponse'] },
      // "If Timer L fires while the INVITE server transaction is in the "Accepted" state, the
      // transaction MUST transition to the "Terminated" state."
      timerL: { to: 'Terminated', actions: [] },
      // RFC 6026 Figure 7: "Transport Err. / Inform TU" (the machine stays in "Accepted").
      transportError: { to: 'Accepted', actions: ['informTransportError'] },
    },
    Terminated: {},
  },
  timersIn: {
    Proceeding: ['timerTrying'],
    Completed: ['timerG', 'timerH'],
    Confirmed: ['timerI'],
    Accepted: ['timerL'],
    Terminated: [],
  },
};

function classify(status: number): InviteServerEvent {
  if (status < 200) return '1xx from TU';
  return status < 300 ? '2xx from TU' : '300-699 from TU';
}

export function createInviteServerTransaction(setup: ServerSetup): ServerInternal {
  const { ctx, request } = setup;
  const core = createServerCore(setup, 'invite', () => machine, classify);
  const onFailure = (error: unknown): void => machine.fire('transportError', { error });

  const machine = createStateMachine<
    InviteServerState,
    InviteServerEvent,
    InviteServerAction,
    EventData
  >(inviteServerMachine, ctx.clock, {
    perform(action, data) {
      switch (action) {
        case 'send100Trying':
          if (!core.responded()) core.sendResponse(buildTrying(request), onFailure);
          return;
        case 'stopTimerTrying':
          return machine.stopTimer('timerTrying');
        case 'sendResponse':
          return core.sendResponse(data?.response as SipResponse, onFailure, data?.bytes);
        case 'resendProvisional':
          return core.resendProvisional(onFailure);
        case 'resendFinal':
          return core.resendFinal(onFailure);
        case 'startTimerG':
          // §17.2.1: "For unreliable transports, timer G is set to fire in T1 seconds, and is
          // not set to fire for reliable transports."
          if (!core.reliable) machine.startTimer('timerG', ctx.timers.timerG(undefined));
          return;
        case 'restartTimerG':
          // "From then on, when timer G fires, the response is passed to the transport again
          // for transmission, and timer G is reset with a value that doubles, unless that
          // value exceeds T2, in which case it is reset with the value of T2."
          return machine.startTimer('timerG', ctx.timers.timerG(machine.lastDelay('timerG')));
        case 'startTimerH':
          // "When the "Completed" state is entered, timer H MUST be set to fire in 64*T1
          // seconds for all transports."
          return machine.startTimer('timerH', ctx.timers.timerH());
        case 'startTimerI':
          // "When this state is entered, timer I is set to fire in T4 seconds for unreliable
          // transports, and zero seconds for reliable transports."
          return machine.startTimer('timerI', ctx.timers.timerI(core.reliable));
        case 'startTimerL':
          // RFC 6026 §8.7: "When the INVITE server transaction enters the "Accepted" state,
          // Timer L MUST be set to fire in 64*T1 for all transports."
          return machine.startTimer('timerL', ctx.timers.timerL());
        case 'ackToTu':
          if (data?.inbound) setup.ackToTu(data.inbound, core.transaction);
          return;
        case 'informTimeout':
          return core.timeout('timerH');
        case 'informTransportError':
          return core.transportError(data?.error, machine.state === 'Terminated');
      }
    },
    terminated: () => core.terminated(),
  });

  return {
    transaction: core.transaction,
    start() {
      machine.startTimer('timerTrying', ctx.timers.timerTrying());
    },
    retransmission: () => machine.fire('INVITE'),
    ack: (inbound) => machine.fire('ACK', { inbound }),
    finalToTag: core.finalToTag,
    sentToTag: core.sentToTag,
    abort() {
      machine.abort();
      core.terminated('stopped');
    },
  };
}
