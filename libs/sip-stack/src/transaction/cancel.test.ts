import { createResponse } from '@sipwake/sip-parser';
import type { SipRequest } from '@sipwake/sip-parser';
import {
  answer,
  createHarness,
  recordClientEvents,
  request,
  requestText,
  udpTarget,
} from './test-support/harness.js';
import type { ServerTransaction } from './types.js';

const T1 = 500;

function calling() {
  const h = createHarness();
  const log = recordClientEvents();
  const invite = request({
    method: 'INVITE',
    via: null,
    cseq: 7,
    headers: ['Route: <sip:proxy.example.com;lr>'],
  });
  const tx = h.layer.sendRequest(invite, udpTarget(), log.handlers);
  const sentInvite = () => h.sentRequests('INVITE')[0]!.message;
  const deliver = (status: number) => h.transport.deliver(answer(sentInvite(), status));
  return { ...h, log, tx, sentInvite, deliver };
}

describe('CANCEL from the client side (RFC 3261 §9.1)', () => {
  it('waits for a provisional response, then sends a CANCEL built from the INVITE', () => {
    const { layer, tx, deliver, sentRequests, sentInvite } = calling();
    expect(
      layer.sendCancel(tx, {
        headers: [['Reason', 'SIP;cause=200;text="Call completed elsewhere"']],
      }),
    ).toBe('pending');
    expect(sentRequests('CANCEL')).toHaveLength(0);
    deliver(180);
    const [sent] = sentRequests('CANCEL');
    expect(sent).toBeDefined();
    const cancel: SipRequest = sent!.message;
    const invite = sentInvite();
    expect(cancel.uri).toBe(invite.uri);
    expect(cancel.callId()).toBe(invite.callId());
    expect(cancel.headers.get('from')).toBe(invite.headers.get('from'));
    expect(cancel.headers.get('to')).toBe(invite.headers.get('to'));
    expect(cancel.cseq()).toEqual({ seq: 7, method: 'CANCEL' });
    expect(cancel.via()).toHaveLength(1);
    expect(cancel.topVia().branch).toBe(tx.branch);
    expect(cancel.route().map((r) => r.uri.host)).toEqual(['proxy.example.com']);
    expect(cancel.reasons()[0]?.cause).toBe(200);
    expect(sent!.target).toEqual(udpTarget());
  });

  it('sends at once in Proceeding, only once however often asked', () => {
    const { layer, tx, deliver, sentRequests } = calling();
    deliver(183);
    expect(layer.sendCancel(tx)).toBe('sent');
    expect(layer.sendCancel(tx)).toBe('sent');
    expect(sentRequests('CANCEL')).toHaveLength(1);
  });

  it('drops a waiting CANCEL when a final response arrives first, and refuses one afterwards', () => {
    const { layer, tx, deliver, sentRequests } = calling();
    expect(layer.sendCancel(tx)).toBe('pending');
    deliver(486);
    expect(sentRequests('CANCEL')).toHaveLength(0);
    expect(layer.sendCancel(tx)).toBe('too-late');
  });

  it('after the CANCEL, a 487 completes the INVITE with its ACK', () => {
    const { layer, tx, deliver, sentRequests, log } = calling();
    deliver(180);
    layer.sendCancel(tx);
    deliver(487);
    expect(tx.state).toBe('Completed');
    expect(sentRequests('ACK')).toHaveLength(1);
    expect(log.events).toEqual(['provisional 180', 'final 487']);
  });

  it('destroys the INVITE transaction 64*T1 after the CANCEL when no final response came', () => {
    const { layer, tx, deliver, clock, log } = calling();
    deliver(180);
    clock.advance(1000);
    layer.sendCancel(tx);
    clock.advance(64 * T1 - 1);
    expect(tx.state).toBe('Proceeding');
    clock.advance(1);
    expect(tx.state).toBe('Terminated');
    expect(log.events).toEqual([
      'provisional 180',
      'timeout TRANSACTION_TIMEOUT 408 timerCancel',
      'terminated timeout Terminated',
    ]);
  });

  it('refuses to cancel a non-INVITE transaction', () => {
    const h = createHarness();
    const tx = h.layer.sendRequest(request({ method: 'OPTIONS', via: null }), udpTarget());
    expect(() => h.layer.sendCancel(tx)).toThrow(
      expect.objectContaining({ code: 'NOT_CANCELLABLE' }),
    );
  });
});

describe('CANCEL from the server side (RFC 3261 §9.2)', () => {
  function withInvite() {
    const h = createHarness();
    const requests: ServerTransaction[] = [];
    const cancels: [ServerTransaction, ServerTransaction][] = [];
    h.layer.onRequest((tx) => void requests.push(tx));
    h.layer.onCancel((cancel, invite) => {
      cancels.push([cancel, invite]);
      cancel.respond(createResponse(cancel.request, 200, undefined, { toTag: 'uas' }));
      invite.respond(createResponse(invite.request, 487, undefined, { toTag: 'uas' }));
    });
    const common = { callId: 'c-1@test', fromTag: 'alice', cseq: 3 };
    h.transport.deliver(requestText({ method: 'INVITE', branch: 'z9hG4bK-x1', ...common }));
    const cancelText = (branch = 'z9hG4bK-x1', via?: string) =>
      requestText({ method: 'CANCEL', branch, ...(via ? { via } : {}), ...common });
    return { ...h, requests, cancels, cancelText };
  }

  it('matches the CANCEL to the INVITE with the same branch and hands both to the TU', () => {
    const { transport, requests, cancels, cancelText, sentResponses } = withInvite();
    transport.deliver(cancelText());
    expect(cancels).toHaveLength(1);
    expect(cancels[0]![1]).toBe(requests[0]);
    expect(cancels[0]![0].request.method).toBe('CANCEL');
    expect(requests[0]!.state).toBe('Completed');
    expect(sentResponses().map((s) => `${s.message.status} ${s.message.cseq().method}`)).toEqual([
      '200 CANCEL',
      '487 INVITE',
    ]);
    // A retransmitted CANCEL matches its own transaction: the 200 again, the TU not bothered.
    transport.deliver(cancelText());
    expect(cancels).toHaveLength(1);
    expect(sentResponses(200)).toHaveLength(2);
  });

  it('answers 481 to a CANCEL that matches no transaction (other branch, other sent-by)', () => {
    const { transport, cancels, cancelText, sentResponses } = withInvite();
    transport.deliver(cancelText('z9hG4bK-other'));
    transport.deliver(
      cancelText('z9hG4bK-x1', 'SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK-x1;rport'),
    );
    expect(cancels).toHaveLength(0);
    const answers = sentResponses(481);
    expect(answers).toHaveLength(2);
    expect(answers[0]!.message.to().tag).toBeDefined();
  });

  it('gives the CANCEL to onRequest when no onCancel handler is set', () => {
    const h = createHarness();
    const methods: string[] = [];
    h.layer.onRequest((tx) => void methods.push(tx.request.method));
    h.transport.deliver(
      requestText({ method: 'INVITE', branch: 'z9hG4bK-y', callId: 'y', fromTag: 'f' }),
    );
    h.transport.deliver(
      requestText({ method: 'CANCEL', branch: 'z9hG4bK-y', callId: 'y', fromTag: 'f' }),
    );
    expect(methods).toEqual(['INVITE', 'CANCEL']);
  });
});
