import { createResponse } from '@sipwake/sip-parser';
import type { Flow } from '../transport/types.js';
import { inviteServerMachine } from './invite-server.js';
import { createHarness, requestText } from './test-support/harness.js';
import type { ServerTransaction, TerminatedEvent } from './types.js';

const T1 = 500;
const T4 = 5000;
const TCP: Partial<Flow> = { protocol: 'tcp', connectionId: 'conn-7' };

function receiveInvite(flow: Partial<Flow> = {}, answerAtOnce?: number) {
  const h = createHarness();
  const transactions: ServerTransaction[] = [];
  const ended: TerminatedEvent[] = [];
  const strayAcks: (ServerTransaction | undefined)[] = [];
  h.layer.onRequest((tx) => {
    transactions.push(tx);
    tx.onTerminated((e) => void ended.push(e));
    if (answerAtOnce !== undefined) respond(tx, answerAtOnce);
  });
  h.layer.onStrayAck((_inbound, invite) => void strayAcks.push(invite));
  const transport = flow.protocol === 'tcp' ? 'TCP' : 'UDP';
  const text = requestText({
    method: 'INVITE',
    via: `SIP/2.0/${transport} 127.0.0.1:5070;branch=z9hG4bK-inv-1;rport`,
    callId: 'inv-1@test',
  });
  h.transport.deliver(text, flow);
  const ack = (branch = 'z9hG4bK-inv-1', toTag = 'uas') =>
    h.transport.deliver(
      requestText({
        method: 'ACK',
        via: `SIP/2.0/${transport} 127.0.0.1:5070;branch=${branch};rport`,
        callId: 'inv-1@test',
        fromTag: transactions[0]!.request.from().tag,
        toTag,
      }),
      flow,
    );
  return {
    ...h,
    transactions,
    ended,
    strayAcks,
    tx: () => transactions[0]!,
    retransmit: () => h.transport.deliver(text, flow),
    ack,
  };
}

function respond(tx: ServerTransaction, status: number): boolean {
  return tx.respond(createResponse(tx.request, status, undefined, { toTag: 'uas' }));
}

describe('INVITE server transaction (RFC 3261 §17.2.1, RFC 6026 §7.1)', () => {
  it('hands a new INVITE to the TU in Proceeding and sends 100 Trying after 200 ms of TU silence', () => {
    const { clock, tx, sentResponses, transactions } = receiveInvite();
    expect(transactions).toHaveLength(1);
    expect(tx().state).toBe('Proceeding');
    clock.advance(199);
    expect(sentResponses()).toHaveLength(0);
    clock.advance(1);
    const [trying] = sentResponses(100);
    expect(trying?.at).toBe(200);
    expect(trying?.message.to().tag).toBeUndefined();
    // RFC 3261 §18.2.2 + RFC 3581: to the source address and port the request came from.
    expect(trying?.target).toEqual({ protocol: 'udp', address: '127.0.0.1', port: 5070 });
  });

  it('sends no 100 Trying when the TU answers within 200 ms', () => {
    const { clock, tx, sentResponses } = receiveInvite();
    clock.advance(150);
    respond(tx(), 180);
    clock.advance(1000);
    expect(sentResponses().map((s) => s.message.status)).toEqual([180]);
  });

  it('answers a retransmitted INVITE in Proceeding with the last provisional response, not the TU', () => {
    const { tx, retransmit, sentResponses, transactions } = receiveInvite();
    retransmit(); // nothing sent yet: nothing to repeat
    expect(sentResponses()).toHaveLength(0);
    respond(tx(), 180);
    respond(tx(), 183);
    retransmit();
    expect(sentResponses().map((s) => s.message.status)).toEqual([180, 183, 183]);
    expect(transactions).toHaveLength(1);
  });

  it('retransmits a non-2xx final on Timer G (T1 doubling up to T2) and fails on Timer H at 64*T1 without ACK', () => {
    const { clock, tx, sentResponses, ended } = receiveInvite();
    respond(tx(), 486);
    expect(tx().state).toBe('Completed');
    clock.advance(64 * T1 - 1);
    expect(sentResponses(486).map((s) => s.at)).toEqual([
      0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500,
    ]);
    expect(ended).toEqual([]);
    clock.advance(1);
    expect(tx().state).toBe('Terminated');
    expect(ended).toHaveLength(1);
    expect(ended[0]!.reason).toBe('timeout');
    expect(ended[0]!.error).toMatchObject({
      code: 'TRANSACTION_TIMEOUT',
      sipStatus: 408,
      timer: 'timerH',
    });
    expect(clock.pending()).toBe(0);
  });

  it('does not run Timer G on a reliable transport; Timer H still fires', () => {
    const { clock, tx, sentResponses, ended } = receiveInvite(TCP);
    respond(tx(), 480);
    clock.advance(64 * T1);
    expect(sentResponses(480)).toHaveLength(1);
    expect(sentResponses(480)[0]!.target.connectionId).toBe('conn-7');
    expect(ended.map((e) => e.reason)).toEqual(['timeout']);
  });

  it('resends the final response to a retransmitted INVITE in Completed', () => {
    const { tx, retransmit, sentResponses } = receiveInvite();
    respond(tx(), 404);
    retransmit();
    expect(sentResponses(404)).toHaveLength(2);
  });

  it('absorbs the ACK for a non-2xx: Completed → Confirmed, Timer G stops, Timer I (T4) ends it', () => {
    const { clock, tx, ack, sentResponses, strayAcks, ended } = receiveInvite();
    respond(tx(), 486);
    clock.advance(600); // one Timer G retransmission at 500
    ack();
    expect(tx().state).toBe('Confirmed');
    ack(); // retransmitted ACK: absorbed too
    clock.advance(T4 - 1);
    expect(sentResponses(486)).toHaveLength(2);
    expect(tx().state).toBe('Confirmed');
    clock.advance(1);
    expect(tx().state).toBe('Terminated');
    expect(strayAcks).toEqual([]);
    expect(ended.map((e) => e.reason)).toEqual(['completed']);
    expect(clock.pending()).toBe(0);
  });

  it('absorbs a late INVITE retransmission in Confirmed', () => {
    const { tx, ack, retransmit, sentResponses, transactions } = receiveInvite();
    respond(tx(), 486);
    ack();
    retransmit();
    expect(tx().state).toBe('Confirmed');
    expect(sentResponses(486)).toHaveLength(1);
    expect(transactions).toHaveLength(1);
  });

  it('sets Timer I to zero on a reliable transport', () => {
    const { tx, ack } = receiveInvite(TCP);
    respond(tx(), 603);
    ack();
    expect(tx().state).toBe('Terminated');
  });

  it("enters Accepted on a 2xx: absorbs INVITE retransmissions, sends the TU's 2xx retransmissions, passes ACKs up, ends on Timer L", () => {
    const { clock, tx, retransmit, ack, sentResponses, strayAcks, transactions } = receiveInvite();
    respond(tx(), 200);
    expect(tx().state).toBe('Accepted');
    retransmit();
    expect(sentResponses(200)).toHaveLength(1); // the transaction does not retransmit a 2xx
    expect(respond(tx(), 200)).toBe(true); // the TU's retransmission goes out
    expect(sentResponses(200)).toHaveLength(2);
    expect(respond(tx(), 486)).toBe(false);
    ack('z9hG4bK-inv-1'); // same branch (an RFC 2543-style UA): passed up with the transaction
    ack('z9hG4bK-ack-2'); // the usual ACK for a 2xx, a transaction of its own
    expect(strayAcks).toEqual([tx(), undefined]);
    expect(transactions).toHaveLength(1);
    clock.advance(64 * T1 - 1);
    expect(tx().state).toBe('Accepted');
    clock.advance(1);
    expect(tx().state).toBe('Terminated');
    expect(clock.pending()).toBe(0);
  });

  it('informs the TU and terminates on a transport error in Proceeding', async () => {
    const { transport, tx, ended } = receiveInvite();
    transport.failSends(true);
    respond(tx(), 180);
    await transport.settle();
    expect(tx().state).toBe('Terminated');
    expect(ended[0]).toMatchObject({
      reason: 'transport-error',
      error: { code: 'TRANSPORT_FAILED' },
    });
  });

  it('informs the TU and terminates on a transport error in Completed', async () => {
    const { transport, tx, ended } = receiveInvite();
    transport.failSends(true);
    respond(tx(), 500);
    await transport.settle();
    expect(tx().state).toBe('Terminated');
    expect(ended.map((e) => e.reason)).toEqual(['transport-error']);
  });

  it('stays in Accepted on a transport error (RFC 6026), telling the TU', async () => {
    const { transport, tx, ended } = receiveInvite();
    const errors: string[] = [];
    tx().onTransportError((e) => void errors.push(e.code));
    transport.failSends(true);
    respond(tx(), 200);
    await transport.settle();
    expect(tx().state).toBe('Accepted');
    expect(errors).toEqual(['TRANSPORT_FAILED']);
    expect(ended).toEqual([]);
  });

  it('answers from inside onRequest (the TU responds before the layer returns)', () => {
    const { tx, sentResponses, clock } = receiveInvite({}, 180);
    clock.advance(1000);
    expect(tx().state).toBe('Proceeding');
    expect(sentResponses().map((s) => s.message.status)).toEqual([180]);
  });

  it('names the RFC 6026 Accepted transitions in its table', () => {
    expect(Object.keys(inviteServerMachine.table.Accepted).sort()).toEqual(
      ['2xx from TU', 'ACK', 'INVITE', 'timerL', 'transportError'].sort(),
    );
  });
});
