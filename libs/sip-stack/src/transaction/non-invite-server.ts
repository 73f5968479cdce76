// The non-INVITE server transaction: RFC 3261 §17.2.2 (Figure 8).
import type { SipResponse } from '@sipwake/sip-parser';
import type { EventData } from './context.js';
import type { MachineSpec } from './machine.js';
import { createStateMachine } from './machine.js';
import type { ServerInternal, ServerSetup } from './server-core.js';
import { createServerCore } from './server-core.js';
import type { NonInviteServerState } from './types.js';

export type NonInviteServerEvent =
  'Request' | '1xx from TU' | '200-699 from TU' | 'timerJ' | 'transportError';

export type NonInviteServerAction =
  'sendResponse' | 'resendProvisional' | 'resendFinal' | 'startTimerJ' | 'informTransportError';

// RFC 3261 §17.2.2: "If, while in the "Trying" state, the TU passes a provisional response to
// the server transaction, the server transaction MUST enter the "Proceeding" state. The
// response MUST be passed to the transport layer for transmission."
const toProceeding = { to: 'Proceeding', actions: ['sendResponse'] } as const;
// "If the TU passes a final response (status codes 200-699) to the server while in the
// "Proceeding" state, the transaction MUST enter the "Completed" state, and the response MUST
// be passed to the transport layer for transmission." (Figure 8: likewise from "Trying".)
const toCompleted = { to: 'Completed', actions: ['sendResponse', 'startTimerJ'] } as const;
// Figure 8: "Trnsprt Err. / Inform TU".
const transportError = { to: 'Terminated', actions: ['informTransportError'] } as const;

export const nonInviteServerMachine: MachineSpec<
  NonInviteServerState,
  NonInviteServerEvent,
  NonInviteServerAction
> = {
  initial: 'Trying',
  terminated: 'Terminated',
  table: {
    Trying: {
      // "Once in the "Trying" state, any further request retransmissions are discarded."
      Request: { to: 'Trying', actions: [] },
      '1xx from TU': toProceeding,
      '200-699 from TU': toCompleted,
    },
    Proceeding: {
      // "If a retransmission of the request is received while in the "Proceeding" state, the
      // most recently sent provisional response MUST be passed to the transport layer for
      // retransmission."
      Request: { to: 'Proceeding', actions: ['resendProvisional'] },
      // "Any further provisional responses that are received from the TU while in the
      // "Proceeding" state MUST be passed to the transport layer for transmission."
      '1xx from TU': { to: 'Proceeding', actions: ['sendResponse'] },
      '200-699 from TU': toCompleted,
      transportError,
    },
    Completed: {
      // "While in the "Completed" state, the server transaction MUST pass the final response
      // to the transport layer for retransmission whenever a retransmission of the request is
      // received. Any other final responses passed by the TU to the server transaction MUST be
      // discarded while in the "Completed" state."
      Request: { to: 'Completed', actions: ['resendFinal'] },
      // "The server transaction remains in this state until Timer J fires, at which point it
      // MUST transition to the "Terminated" state."
      timerJ: { to: 'Terminated', actions: [] },
      transportError,
    },
    Terminated: {},
  },
  timersIn: {
    Trying: [],
    Proceeding: [],
    Completed: ['timerJ'],
    Terminated: [],
  },
};

function classify(status: number): NonInviteServerEvent {
  return status < 200 ? '1xx from TU' : '200-699 from TU';
}

export function createNonInviteServerTransaction(setup: ServerSetup): ServerInternal {
  const { ctx } = setup;
  const core = createServerCore(setup, 'non-invite', () => machine, classify);
  const onFailure = (error: unknown): void => machine.fire('transportError', { error });

  const machine = createStateMachine<
    NonInviteServerState,
    NonInviteServerEvent,
    NonInviteServerAction,
    EventData
  >(nonInviteServerMachine, ctx.clock, {
    perform(action, data) {
      switch (action) {
        case 'sendResponse':
          return core.sendResponse(data?.response as SipResponse, onFailure, data?.bytes);
        case 'resendProvisional':
          return core.resendProvisional(onFailure);
        case 'resendFinal':
          return core.resendFinal(onFailure);
        case 'startTimerJ':
          // §17.2.2: "When the server transaction enters the "Completed" state, it MUST set
          // Timer J to fire in 64*T1 seconds for unreliable transports, and zero seconds for
          // reliable transports."
          return machine.startTimer('timerJ', ctx.timers.timerJ(core.reliable));
        case 'informTransportError':
          return core.transportError(data?.error, true);
      }
    },
    terminated: () => core.terminated(),
  });

  return {
    transaction: core.transaction,
    start() {},
    retransmission: () => machine.fire('Request'),
    sentToTag: core.sentToTag,
    abort() {
      machine.abort();
      core.terminated('stopped');
    },
  };
}
