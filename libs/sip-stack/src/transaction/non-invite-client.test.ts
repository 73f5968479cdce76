import { nonInviteClientMachine } from './non-invite-client.js';
import {
  answer,
  createHarness,
  recordClientEvents,
  request,
  tcpTarget,
  udpTarget,
} from './test-support/harness.js';

const T1 = 500;
const T4 = 5000;

function start(target = udpTarget(), method = 'OPTIONS') {
  const h = createHarness();
  const log = recordClientEvents();
  const tx = h.layer.sendRequest(request({ method, via: null }), target, log.handlers);
  const sent = () => h.sentRequests(method);
  const deliver = (status: number) => h.transport.deliver(answer(sent()[0]!.message, status));
  return { ...h, log, tx, sent, deliver };
}

describe('non-INVITE client transaction (RFC 3261 §17.1.2)', () => {
  it('starts in Trying and retransmits on Timer E at T1, doubling up to T2, until Timer F at 64*T1', () => {
    const { clock, sent, log, tx } = start();
    expect(tx.state).toBe('Trying');
    clock.advance(64 * T1 - 1);
    // Intervals 0.5, 1, 2, then capped at T2 = 4 s.
    expect(sent().map((s) => s.at)).toEqual([
      0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500,
    ]);
    expect(log.events).toEqual([]);
    clock.advance(1);
    expect(log.events).toEqual([
      'timeout TRANSACTION_TIMEOUT 408 timerF',
      'terminated timeout Terminated',
    ]);
    expect(tx.state).toBe('Terminated');
    expect(clock.pending()).toBe(0);
  });

  it('resets Timer E to T2 in Proceeding and keeps retransmitting until Timer F', () => {
    const { clock, sent, log, tx, deliver } = start();
    clock.advance(600);
    deliver(100);
    expect(tx.state).toBe('Proceeding');
    clock.advance(64 * T1 - 600);
    // E was due at 1.5 s (1 s after the first retransmission); from then on every T2.
    expect(sent().map((s) => s.at)).toEqual([
      0, 500, 1500, 5500, 9500, 13500, 17500, 21500, 25500, 29500,
    ]);
    expect(log.events).toEqual([
      'provisional 100',
      'timeout TRANSACTION_TIMEOUT 408 timerF',
      'terminated timeout Terminated',
    ]);
  });

  it('does not retransmit on a reliable transport; Timer F still applies', () => {
    const { clock, sent, log } = start(tcpTarget());
    clock.advance(64 * T1);
    expect(sent()).toHaveLength(1);
    expect(log.events[0]).toBe('timeout TRANSACTION_TIMEOUT 408 timerF');
  });

  it('passes the final response up once, absorbs retransmissions in Completed, and ends on Timer K at T4', () => {
    const { clock, sent, log, tx, deliver } = start();
    clock.advance(100);
    deliver(100);
    deliver(200);
    expect(tx.state).toBe('Completed');
    deliver(200);
    deliver(180);
    expect(log.events).toEqual(['provisional 100', 'final 200']);
    clock.advance(T4 - 1);
    expect(tx.state).toBe('Completed');
    expect(sent()).toHaveLength(1); // no retransmission in Completed
    clock.advance(1);
    expect(tx.state).toBe('Terminated');
    expect(log.events).toEqual(['provisional 100', 'final 200', 'terminated completed Terminated']);
    expect(clock.pending()).toBe(0);
  });

  it('passes every further 1xx up while in Proceeding', () => {
    const { tx, deliver, log } = start();
    deliver(100);
    deliver(182);
    expect(tx.state).toBe('Proceeding');
    expect(log.events).toEqual(['provisional 100', 'provisional 182']);
  });

  it('goes from Trying straight to Completed on a final response', () => {
    const { tx, deliver, log } = start(udpTarget(), 'REGISTER');
    deliver(401);
    expect(tx.state).toBe('Completed');
    expect(log.events).toEqual(['final 401']);
  });

  it('sets Timer K to zero on a reliable transport', () => {
    const { tx, deliver, log } = start(tcpTarget());
    deliver(200);
    expect(tx.state).toBe('Terminated');
    expect(log.events).toEqual(['final 200', 'terminated completed Terminated']);
  });

  it('reports a transport failure as a 503 and terminates, in Trying and in Proceeding', async () => {
    const first = start();
    first.transport.failSends(true);
    first.clock.advance(T1); // the retransmission fails
    await first.transport.settle();
    expect(first.log.events).toEqual([
      'transportError TRANSPORT_FAILED 503',
      'terminated transport-error Terminated',
    ]);

    const second = start();
    second.deliver(100);
    second.transport.failSends(true);
    second.clock.advance(T1);
    await second.transport.settle();
    expect(second.tx.state).toBe('Terminated');
    expect(second.log.events).toEqual([
      'provisional 100',
      'transportError TRANSPORT_FAILED 503',
      'terminated transport-error Terminated',
    ]);
    expect(second.clock.pending()).toBe(0);
  });

  it('keeps Timer E and F running from Trying into Proceeding (Figure 6)', () => {
    expect(nonInviteClientMachine.timersIn.Proceeding).toEqual(['timerE', 'timerF']);
    expect(nonInviteClientMachine.table.Completed.timerE).toBeUndefined();
  });
});
