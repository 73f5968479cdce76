import { createResponse, parseMessage } from '@sipwake/sip-parser';
import type { SipRequest } from '@sipwake/sip-parser';
import { responseKey, rfc2543AckKey, serverKey } from './matching.js';
import { answer, createHarness, request, requestText, udpTarget } from './test-support/harness.js';
import type { ServerTransaction } from './types.js';

function parsed(text: string): SipRequest {
  return parseMessage(Buffer.from(text), { datagram: true }) as SipRequest;
}

function server() {
  const h = createHarness();
  const transactions: ServerTransaction[] = [];
  const strayAcks: (ServerTransaction | undefined)[] = [];
  h.layer.onRequest((tx) => void transactions.push(tx));
  h.layer.onStrayAck((_ack, invite) => void strayAcks.push(invite));
  return { ...h, transactions, strayAcks };
}

describe('matching keys', () => {
  it('puts an ACK in the key of its INVITE and keeps CANCEL apart (RFC 3261 §17.2.3)', () => {
    const base = { branch: 'z9hG4bK-k', callId: 'k', fromTag: 'f' };
    const invite = parsed(requestText({ method: 'INVITE', ...base }));
    const ack = parsed(requestText({ method: 'ACK', ...base, toTag: 't' }));
    const cancel = parsed(requestText({ method: 'CANCEL', ...base }));
    expect(serverKey(ack)).toBe(serverKey(invite));
    expect(serverKey(cancel)).not.toBe(serverKey(invite));
    expect(serverKey(cancel, 'INVITE')).toBe(serverKey(invite));
  });

  it('compares the sent-by host case-insensitively and the port as written', () => {
    const a = parsed(requestText({ via: 'SIP/2.0/UDP Host.Example.com:5070;branch=z9hG4bK-s' }));
    const b = parsed(requestText({ via: 'SIP/2.0/UDP host.example.com:5070;branch=z9hG4bK-s' }));
    const c = parsed(requestText({ via: 'SIP/2.0/UDP host.example.com;branch=z9hG4bK-s' }));
    expect(serverKey(a)).toBe(serverKey(b));
    expect(serverKey(a)).not.toBe(serverKey(c));
  });

  it('falls back to RFC 2543 fields without the magic cookie, ignoring received/rport stamps', () => {
    const fields = { method: 'INVITE', callId: 'old', fromTag: 'f', cseq: 4 };
    const a = parsed(requestText({ ...fields, via: 'SIP/2.0/UDP 10.0.0.1:5060' }));
    const stamped = parsed(
      requestText({ ...fields, via: 'SIP/2.0/UDP 10.0.0.1:5060;received=192.0.2.9;rport=1024' }),
    );
    const otherCseq = parsed(requestText({ ...fields, cseq: 5, via: 'SIP/2.0/UDP 10.0.0.1:5060' }));
    const otherUri = parsed(
      requestText({ ...fields, uri: 'sip:carol@127.0.0.1', via: 'SIP/2.0/UDP 10.0.0.1:5060' }),
    );
    expect(serverKey(a)).toBe(serverKey(stamped));
    expect(serverKey(a)).not.toBe(serverKey(otherCseq));
    expect(serverKey(a)).not.toBe(serverKey(otherUri));
    const ack = parsed(
      requestText({ ...fields, method: 'ACK', toTag: 'resp', via: 'SIP/2.0/UDP 10.0.0.1:5060' }),
    );
    expect(rfc2543AckKey(ack)).toBe(rfc2543AckKey(a));
  });

  it('names a response by branch and CSeq method (RFC 3261 §17.1.3)', () => {
    const req = parsed(requestText({ method: 'INVITE', branch: 'z9hG4bK-r' }));
    const ok = createResponse(req, 200, undefined, { toTag: 'x' });
    expect(responseKey(ok)).toBe(`z9hG4bK-r\u0000INVITE`);
  });
});

describe('request matching in the layer (RFC 3261 §17.2.3)', () => {
  it('makes two transactions of one branch from two sent-by values, or two methods', () => {
    const { transport, transactions } = server();
    transport.deliver(
      requestText({ method: 'OPTIONS', via: 'SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-same' }),
    );
    transport.deliver(
      requestText({ method: 'OPTIONS', via: 'SIP/2.0/UDP 127.0.0.1:5071;branch=z9hG4bK-same' }),
    );
    transport.deliver(
      requestText({ method: 'INFO', via: 'SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-same' }),
    );
    expect(transactions).toHaveLength(3);
  });

  it('matches RFC 2543 INVITE retransmissions and the ACK carrying the To tag of the final response', () => {
    const { transport, transactions, strayAcks, sentResponses } = server();
    const fields = {
      callId: 'legacy@test',
      fromTag: 'old',
      cseq: 1,
      via: 'SIP/2.0/UDP 127.0.0.1:5070',
    };
    const invite = requestText({ method: 'INVITE', ...fields });
    transport.deliver(invite);
    const tx = transactions[0]!;
    tx.respond(createResponse(tx.request, 486, undefined, { toTag: 'busy' }));
    transport.deliver(invite);
    expect(transactions).toHaveLength(1);
    expect(sentResponses(486)).toHaveLength(2);

    transport.deliver(requestText({ method: 'ACK', ...fields, toTag: 'wrong' }));
    expect(strayAcks).toEqual([undefined]);
    expect(tx.state).toBe('Completed');

    transport.deliver(requestText({ method: 'ACK', ...fields, toTag: 'busy' }));
    expect(tx.state).toBe('Confirmed');
    expect(strayAcks).toEqual([undefined]);

    transport.deliver(requestText({ method: 'INVITE', ...fields, cseq: 2 }));
    expect(transactions).toHaveLength(2);
  });

  it('matches an RFC 2543 CANCEL to its INVITE and RFC 2543 non-INVITE retransmissions', () => {
    const h = server();
    const cancels: ServerTransaction[] = [];
    h.layer.onCancel((_cancel, invite) => void cancels.push(invite));
    const fields = {
      callId: 'l2@test',
      fromTag: 'o',
      cseq: 9,
      via: 'SIP/2.0/UDP 127.0.0.1:5070;branch=1',
    };
    h.transport.deliver(requestText({ method: 'INVITE', ...fields }));
    h.transport.deliver(requestText({ method: 'CANCEL', ...fields }));
    expect(cancels).toEqual([h.transactions[0]]);
    const options = requestText({ method: 'OPTIONS', ...fields, cseq: 10 });
    h.transport.deliver(options);
    h.transport.deliver(options);
    expect(h.transactions.map((t) => t.request.method)).toEqual(['INVITE', 'OPTIONS']);
  });

  it('hands a response that matches no client transaction to onStrayResponse', () => {
    const h = createHarness();
    const stray: number[] = [];
    h.layer.onStrayResponse((inbound) => {
      if (inbound.message.type === 'response') stray.push(inbound.message.status);
    });
    const tx = h.layer.sendRequest(request({ method: 'INVITE', via: null }), udpTarget());
    const sent = h.sentRequests('INVITE')[0]!.message;
    const other = parsed(requestText({ method: 'INVITE', branch: 'z9hG4bK-unknown' }));
    h.transport.deliver(answer(other, 200));
    // Same branch, other method: not this transaction either (§17.1.3).
    const wrongMethod = answer(sent, 200);
    wrongMethod.headers.set('cseq', `${sent.cseq().seq} BYE`);
    h.transport.deliver(wrongMethod);
    expect(stray).toEqual([200, 200]);
    expect(tx.state).toBe('Calling');
  });
});
