import { createRequest } from '@sipwake/sip-parser';
import type { SipRequest } from '@sipwake/sip-parser';
import { inviteClientMachine } from './invite-client.js';
import {
  answer,
  createHarness,
  recordClientEvents,
  request,
  tcpTarget,
  udpTarget,
} from './test-support/harness.js';

const T1 = 500;

function invite(options: { headers?: string[] } = {}): SipRequest {
  return request({ method: 'INVITE', via: null, headers: options.headers });
}

function start(target = udpTarget(), extraHeaders: string[] = []) {
  const h = createHarness();
  const log = recordClientEvents();
  const tx = h.layer.sendRequest(invite({ headers: extraHeaders }), target, log.handlers);
  const sent = () => h.sentRequests('INVITE');
  const deliver = (status: number, toTag?: string) =>
    h.transport.deliver(answer(sent()[0]!.message, status, toTag));
  return { ...h, log, tx, sent, deliver };
}

describe('INVITE client transaction (RFC 3261 §17.1.1, RFC 6026 §7.2)', () => {
  it('enters Calling and sends the INVITE with the Via the layer added (transport, sent-by, branch, rport)', () => {
    const { tx, sent } = start();
    expect(tx.state).toBe('Calling');
    expect(sent()).toHaveLength(1);
    const via = sent()[0]!.message.topVia();
    expect(via.transport).toBe('UDP');
    expect(via.host).toBe('127.0.0.1');
    expect(via.port).toBe(5060);
    expect(via.branch).toBe(tx.branch);
    expect(via.branch).toMatch(/^z9hG4bK/);
    expect(via.rport).toBe(true);
  });

  it('retransmits on Timer A at T1, 2T1, 4T1… and times out on Timer B at 64*T1 (unreliable)', () => {
    const { clock, sent, log, tx, sentRequests } = start();
    clock.advance(64 * T1 - 1);
    // Sent at 0, then A fires at 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s (intervals 0.5, 1, 2, 4, 8, 16 s).
    expect(sent().map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(log.events).toEqual([]);
    clock.advance(1);
    expect(log.events).toEqual([
      'timeout TRANSACTION_TIMEOUT 408 timerB',
      'terminated timeout Terminated',
    ]);
    expect(tx.state).toBe('Terminated');
    // "The client transaction MUST NOT generate an ACK."
    expect(sentRequests('ACK')).toHaveLength(0);
    expect(clock.pending()).toBe(0);
  });

  it('does not retransmit on a reliable transport, and Timer B still fires at 64*T1', () => {
    const { clock, sent, log } = start(tcpTarget());
    clock.advance(64 * T1 - 1);
    expect(sent()).toHaveLength(1);
    clock.advance(1);
    expect(log.events[0]).toBe('timeout TRANSACTION_TIMEOUT 408 timerB');
  });

  it('moves to Proceeding on a 1xx, passes every 1xx up and stops retransmitting', async () => {
    const { clock, sent, log, tx, deliver } = start();
    clock.advance(T1);
    deliver(100);
    deliver(180);
    expect(tx.state).toBe('Proceeding');
    expect(log.events).toEqual(['provisional 100', 'provisional 180']);
    clock.advance(64 * T1 * 2);
    // Timer B does not apply in Proceeding (Figure 5): the TU ends it (CANCEL).
    expect(sent()).toHaveLength(2);
    expect(tx.state).toBe('Proceeding');
    expect(clock.pending()).toBe(0);
  });

  it('ACKs a 300-699 in Completed with the branch, the To tag of the response and the Route set (§17.1.1.3)', async () => {
    const { log, tx, deliver, sentRequests, sent } = start(udpTarget(), [
      'Route: <sip:proxy.example.com;lr>',
      'Route: <sip:edge.example.com;lr>',
    ]);
    deliver(180);
    deliver(486, 'busy-tag');
    expect(tx.state).toBe('Completed');
    expect(log.events).toEqual(['provisional 180', 'final 486']);
    const [ack] = sentRequests('ACK');
    const original = sent()[0]!.message;
    expect(ack).toBeDefined();
    const message = ack!.message;
    expect(message.uri).toBe(original.uri);
    expect(message.via()).toHaveLength(1);
    expect(message.topVia().branch).toBe(tx.branch);
    expect(message.to().tag).toBe('busy-tag');
    expect(message.from().tag).toBe(original.from().tag);
    expect(message.callId()).toBe(original.callId());
    expect(message.cseq()).toEqual({ seq: original.cseq().seq, method: 'ACK' });
    expect(message.route().map((r) => r.uri.host)).toEqual([
      'proxy.example.com',
      'edge.example.com',
    ]);
    expect(message.headers.get('max-forwards')).toBe('70');
    expect(ack!.target).toEqual(udpTarget());
  });

  it('answers a retransmitted final response with the ACK again without passing it up, until Timer D (32 s unreliable)', () => {
    const { clock, log, tx, deliver, sentRequests } = start();
    clock.advance(100);
    deliver(603);
    clock.advance(1000);
    deliver(603);
    expect(sentRequests('ACK')).toHaveLength(2);
    expect(log.events).toEqual(['final 603']);
    clock.advance(32_000 - 1000 - 1);
    expect(tx.state).toBe('Completed');
    clock.advance(1);
    expect(tx.state).toBe('Terminated');
    expect(log.events).toEqual(['final 603', 'terminated completed Terminated']);
    expect(clock.pending()).toBe(0);
  });

  it('sends the ACK on the connection the INVITE took (§17.1.1.3)', async () => {
    const { transport, deliver, sentRequests } = start(tcpTarget());
    await transport.settle();
    deliver(404);
    expect(sentRequests('ACK')[0]!.target).toEqual({ ...tcpTarget(), connectionId: 'conn-1' });
  });

  it('leaves no timer behind when the TU stops the layer from inside a handler', () => {
    const h = createHarness();
    const tx = h.layer.sendRequest(invite(), udpTarget(), { final: () => h.layer.stop() });
    h.transport.deliver(answer(h.sentRequests('INVITE')[0]!.message, 486));
    expect(tx.state).toBe('Terminated');
    expect(h.clock.pending()).toBe(0);
  });

  it('sets Timer D to zero on a reliable transport: Completed ends at once', () => {
    const { log, tx, deliver, sentRequests } = start(tcpTarget());
    deliver(404);
    expect(sentRequests('ACK')).toHaveLength(1);
    expect(tx.state).toBe('Terminated');
    expect(log.events).toEqual(['final 404', 'terminated completed Terminated']);
  });

  it('enters Accepted on a 2xx without ACKing, passes further 2xx up, and ends on Timer M at 64*T1 (RFC 6026)', () => {
    const { clock, log, tx, deliver, sentRequests, layer, transport, sent } = start();
    const stray: number[] = [];
    layer.onStrayResponse(
      (inbound) =>
        void stray.push(inbound.message.type === 'response' ? inbound.message.status : 0),
    );
    deliver(200, 'a');
    expect(tx.state).toBe('Accepted');
    clock.advance(1000);
    deliver(200, 'a'); // a retransmission
    deliver(200, 'b'); // another branch of a forked INVITE
    expect(log.events).toEqual(['final 200', 'final 200', 'final 200']);
    expect(sentRequests('ACK')).toHaveLength(0);
    expect(sent()).toHaveLength(1); // no more INVITE retransmissions
    clock.advance(64 * T1 - 1000 - 1);
    expect(tx.state).toBe('Accepted');
    clock.advance(1);
    expect(tx.state).toBe('Terminated');
    transport.deliver(answer(sent()[0]!.message, 200, 'a'));
    expect(stray).toEqual([200]);
  });

  it('goes from Proceeding to Accepted on a 2xx', () => {
    const { tx, deliver, log } = start();
    deliver(183);
    deliver(200);
    expect(tx.state).toBe('Accepted');
    expect(log.events).toEqual(['provisional 183', 'final 200']);
  });

  it('reports a transport error in Calling as a 503 and terminates', async () => {
    const h = createHarness();
    h.transport.failSends(true);
    const log = recordClientEvents();
    const tx = h.layer.sendRequest(invite(), udpTarget(), log.handlers);
    await h.transport.settle();
    expect(tx.state).toBe('Terminated');
    expect(log.events).toEqual([
      'transportError TRANSPORT_FAILED 503',
      'terminated transport-error Terminated',
    ]);
    expect(h.clock.pending()).toBe(0);
  });

  it('terminates with a transport error when the ACK cannot be sent in Completed', async () => {
    const { transport, tx, deliver, log } = start();
    transport.failSends((m) => m.type === 'request' && m.method === 'ACK');
    deliver(500);
    await transport.settle();
    expect(tx.state).toBe('Terminated');
    expect(log.events).toEqual([
      'final 500',
      'transportError TRANSPORT_FAILED 503',
      'terminated transport-error Terminated',
    ]);
  });

  it('matches a response by branch and CSeq method: the CANCEL response does not reach the INVITE (§17.1.3)', () => {
    const { layer, tx, deliver, log, sentRequests, transport } = start();
    deliver(180);
    const cancelLog = recordClientEvents();
    expect(layer.sendCancel(tx, { handlers: cancelLog.handlers })).toBe('sent');
    const [cancel] = sentRequests('CANCEL');
    transport.deliver(answer(cancel!.message, 200));
    expect(cancelLog.events).toEqual(['final 200']);
    expect(log.events).toEqual(['provisional 180']);
    expect(tx.state).toBe('Proceeding');
  });

  it('lists a transition for every event the RFC figures name, and none out of Terminated', () => {
    expect(Object.keys(inviteClientMachine.table.Calling).sort()).toEqual(
      ['1xx', '2xx', '300-699', 'timerA', 'timerB', 'transportError'].sort(),
    );
    expect(inviteClientMachine.table.Terminated).toEqual({});
  });

  it("refuses an ACK (the ACK for a 2xx is the TU's, sent with sendStateless)", () => {
    const h = createHarness();
    const ack = createRequest({
      method: 'ACK',
      uri: 'sip:bob@127.0.0.1',
      headers: [
        ['From', '<sip:a@x>;tag=1'],
        ['To', '<sip:b@x>;tag=2'],
        ['Call-ID', 'c'],
        ['CSeq', '1 ACK'],
      ],
    });
    expect(() => h.layer.sendRequest(ack, udpTarget())).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
  });
});
