// The non-INVITE client transaction: RFC 3261 §17.1.2 (Figure 6).
import type { SipResponse } from '@sipwake/sip-parser';
import { serializeMessage } from '@sipwake/sip-parser';
import type { ClientInternal, ClientSetup } from './client-core.js';
import { createClientCore } from './client-core.js';
import type { EventData } from './context.js';
import type { MachineSpec } from './machine.js';
import { createStateMachine } from './machine.js';
import type { NonInviteClientState } from './types.js';

export type NonInviteClientEvent =
  '1xx' | '200-699' | 'timerE' | 'timerF' | 'timerK' | 'transportError';

export type NonInviteClientAction =
  | 'retransmitRequest'
  | 'restartTimerE'
  | 'restartTimerEWithT2'
  | 'responseToTu'
  | 'startTimerK'
  | 'informTimeout'
  | 'informTransportError';

const toCompleted = {
  // RFC 3261 §17.1.2.2: "If a final response (status codes 200-699) is received while in the
  // "Trying" state, the response MUST be passed to the TU, and the client transaction MUST
  // transition to the "Completed" state." Likewise from "Proceeding".
  to: 'Completed',
  actions: ['responseToTu', 'startTimerK'],
} as const;

// Figure 6: "Timer F or Transport Err. / inform TU".
const timeout = { to: 'Terminated', actions: ['informTimeout'] } as const;
const transportError = { to: 'Terminated', actions: ['informTransportError'] } as const;

export const nonInviteClientMachine: MachineSpec<
  NonInviteClientState,
  NonInviteClientEvent,
  NonInviteClientAction
> = {
  initial: 'Trying',
  terminated: 'Terminated',
  table: {
    Trying: {
      // §17.1.2.2: "If timer E fires while still in this state, the timer is reset, but this
      // time with a value of MIN(2*T1, T2). When the timer fires again, it is reset to a
      // MIN(4*T1, T2)."
      timerE: { to: 'Trying', actions: ['retransmitRequest', 'restartTimerE'] },
      // "If Timer F fires while the client transaction is still in the "Trying" state, the
      // client transaction SHOULD inform the TU about the timeout, and then it SHOULD enter
      // the "Terminated" state."
      timerF: timeout,
      // "If a provisional response is received while in the "Trying" state, the response MUST
      // be passed to the TU, and then the client transaction SHOULD move to the "Proceeding"
      // state."
      '1xx': { to: 'Proceeding', actions: ['responseToTu'] },
      '200-699': toCompleted,
      transportError,
    },
    Proceeding: {
      // "If Timer E fires while in the "Proceeding" state, the request MUST be passed to the
      // transport layer for retransmission, and Timer E MUST be reset with a value of T2
      // seconds."
      timerE: { to: 'Proceeding', actions: ['retransmitRequest', 'restartTimerEWithT2'] },
      // "If timer F fires while in the "Proceeding" state, the TU MUST be informed of a
      // timeout, and the client transaction MUST transition to the terminated state."
      timerF: timeout,
      '1xx': { to: 'Proceeding', actions: ['responseToTu'] },
      '200-699': toCompleted,
      transportError,
    },
    Completed: {
      // "The "Completed" state exists to buffer any additional response retransmissions that
      // may be received": they are absorbed.
      '1xx': { to: 'Completed', actions: [] },
      '200-699': { to: 'Completed', actions: [] },
      // "If Timer K fires while in this state, the client transaction MUST transition to the
      // "Terminated" state."
      timerK: { to: 'Terminated', actions: [] },
    },
    Terminated: {},
  },
  timersIn: {
    Trying: ['timerE', 'timerF'],
    Proceeding: ['timerE', 'timerF'],
    Completed: ['timerK'],
    Terminated: [],
  },
};

export function createNonInviteClientTransaction(setup: ClientSetup): ClientInternal {
  const { ctx, request } = setup;
  const core = createClientCore(setup, 'non-invite', () => machine);
  const requestBytes = serializeMessage(request);

  const machine = createStateMachine<
    NonInviteClientState,
    NonInviteClientEvent,
    NonInviteClientAction,
    EventData
  >(nonInviteClientMachine, ctx.clock, {
    perform(action, data, event) {
      switch (action) {
        case 'retransmitRequest':
          return send();
        case 'restartTimerE':
          return machine.startTimer('timerE', ctx.timers.timerE(machine.lastDelay('timerE')));
        case 'restartTimerEWithT2':
          return machine.startTimer('timerE', ctx.timers.timerEProceeding());
        case 'responseToTu': {
          const response = data?.response as SipResponse;
          return event === '1xx' ? core.provisional(response) : core.final(response);
        }
        case 'startTimerK':
          // §17.1.2.2: "Once the client transaction enters the "Completed" state, it MUST set
          // Timer K to fire in T4 seconds for unreliable transports, and zero seconds for
          // reliable transports."
          return machine.startTimer('timerK', ctx.timers.timerK(core.reliable));
        case 'informTimeout':
          return core.timeout('timerF');
        case 'informTransportError':
          return core.transportError(data?.error);
      }
    },
    terminated: () => core.terminated(),
  });

  function send(): void {
    core.send(requestBytes, (error) => machine.fire('transportError', { error }));
  }

  return {
    transaction: core.transaction,
    start() {
      // §17.1.2.2: "When entering this state, the client transaction SHOULD set timer F to
      // fire in 64*T1 seconds. The request MUST be passed to the transport layer for
      // transmission. If an unreliable transport is in use, the client transaction MUST set
      // timer E to fire in T1 seconds."
      machine.startTimer('timerF', ctx.timers.timerF());
      send();
      if (!core.reliable) machine.startTimer('timerE', ctx.timers.timerE(undefined));
    },
    receive(response) {
      machine.fire(response.status < 200 ? '1xx' : '200-699', { response });
    },
    abort() {
      machine.abort();
      core.terminated('stopped');
    },
  };
}
