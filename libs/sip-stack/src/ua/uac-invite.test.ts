import { createResponse, type SipRequest } from '@sipwake/sip-parser';
import { createUaPair, PAIR_T1_MS, type UaPair } from '../test-support/ua-pair.js';
import type { ServerTransaction } from '../transaction/types.js';
import type { UserAgent } from './user-agent.js';

describe('the UAC side of an INVITE', () => {
  let pair: UaPair;
  let ua: UserAgent;
  let invites: ServerTransaction[];
  let acks: SipRequest[];
  let others: SipRequest[];

  beforeEach(async () => {
    pair = await createUaPair();
    ua = pair.userAgent('alice');
    invites = [];
    acks = [];
    others = [];
    pair.far.layer.onRequest((tx) => {
      if (tx.request.method === 'INVITE') invites.push(tx);
      else {
        others.push(tx.request);
        tx.respond(createResponse(tx.request, 200, 'OK'));
      }
    });
    pair.far.layer.onStrayAck((inbound) => {
      if (inbound.message.type === 'request') acks.push(inbound.message);
    });
  });
  afterEach(() => pair.stop());

  const ok = (tx: ServerTransaction) =>
    createResponse(tx.request, 200, 'OK', {
      toTag: 'callee1',
      headers: [
        ['Contact', `<sip:bob@127.0.0.1:${pair.far.port}>`],
        // Two proxies in the path: the UAC's route set is this list reversed (§12.1.2).
        ['Record-Route', '<sip:127.0.0.1:5090;lr>'],
        ['Record-Route', `<sip:127.0.0.1:${pair.far.port};lr>`],
        ['Content-Type', 'application/sdp'],
      ],
      body: 'v=0\r\n',
    });

  it('ACKs the 2xx as its own request and builds the dialog from it (§13.2.2.4, §12.1.2)', async () => {
    const provisional: number[] = [];
    const calling = ua.invite({
      uri: `sip:bob@127.0.0.1:${pair.far.port}`,
      from: 'sip:alice@example.test',
      sdp: 'v=0\r\n',
      onProvisional: (r) => provisional.push(r.status),
    });
    await pair.settle();
    const tx = invites[0]!;
    expect(tx.request.headers.get('contact')).toBe(`<sip:alice@127.0.0.1:${pair.near.port}>`);
    expect(tx.request.contentType()).toBe('application/sdp');
    tx.respond(createResponse(tx.request, 180, 'Ringing', { toTag: 'callee1' }));
    tx.respond(ok(tx));
    const dialog = await calling;
    await pair.settle();

    expect(provisional).toEqual([180]);
    expect(dialog.id).toMatchObject({ callId: tx.request.callId(), remoteTag: 'callee1' });
    expect(dialog.routeSet).toEqual([
      `<sip:127.0.0.1:${pair.far.port};lr>`,
      '<sip:127.0.0.1:5090;lr>',
    ]);
    expect(dialog.remoteBody.toString()).toBe('v=0\r\n');
    expect(acks).toHaveLength(1);
    const ack = acks[0]!;
    expect(ack.cseq()).toEqual({ seq: tx.request.cseq().seq, method: 'ACK' });
    expect(ack.uri).toBe(`sip:bob@127.0.0.1:${pair.far.port}`);
    expect(ack.topVia().branch).not.toBe(tx.request.topVia().branch);
    expect(ack.to().tag).toBe('callee1');
    expect(ack.headers.getAll('route')).toEqual(dialog.routeSet);

    // A retransmitted 2xx is ACKed again (the far core retransmits it until the ACK, §13.3.1.4).
    tx.respond(ok(tx));
    await pair.settle();
    expect(acks).toHaveLength(2);
    expect(acks[1]!.topVia().branch).toBe(ack.topVia().branch);

    // BYE: CSeq above the INVITE's, Request-URI the remote target, routed by the route set.
    const bye = dialog.bye();
    await pair.settle();
    await expect(bye).resolves.toMatchObject({ status: 200 });
    const byeRequest = others[0]!;
    expect(byeRequest.method).toBe('BYE');
    expect(byeRequest.cseq().seq).toBe(tx.request.cseq().seq + 1);
    expect(byeRequest.uri).toBe(`sip:bob@127.0.0.1:${pair.far.port}`);
    expect(byeRequest.from().tag).toBe(tx.request.from().tag);
    expect(byeRequest.to().tag).toBe('callee1');
    await expect(dialog.ended).resolves.toEqual({ by: 'local', reason: 'bye' });
  });

  it('rejects with REJECTED on a final non-2xx (the transaction ACKs it)', async () => {
    const calling = ua.invite({
      uri: `sip:bob@127.0.0.1:${pair.far.port}`,
      from: 'sip:alice@example.test',
    });
    const outcome = expect(calling).rejects.toMatchObject({ code: 'REJECTED', status: 486 });
    await pair.settle();
    invites[0]!.respond(createResponse(invites[0]!.request, 486, 'Busy Here', { toTag: 'x' }));
    await pair.settle();
    await outcome;
    expect(ua.dialogs()).toHaveLength(0);
  });

  it('rejects with TIMEOUT when nothing answers before Timer B', async () => {
    pair.far.layer.onRequest(() => undefined);
    const calling = ua.invite({
      uri: `sip:bob@127.0.0.1:${pair.far.port}`,
      from: 'sip:alice@example.test',
    });
    const outcome = expect(calling).rejects.toMatchObject({ code: 'TIMEOUT' });
    await pair.settle();
    await pair.advance(64 * PAIR_T1_MS);
    await outcome;
  });
});
