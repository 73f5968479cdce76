import { createRequest, type SipMessage, type SipRequest } from '@sipwake/sip-parser';
import { createCalleePair, PAIR_T1_MS, PAIR_T2_MS, type UaPair } from '../test-support/ua-pair.js';
import type { Dialog } from './dialog.js';
import type { IncomingCall } from './uas-invite.js';
import type { UserAgent } from './user-agent.js';

/** An INVITE as the far side's core would send it (the layer adds the Via). */
function invite(pair: UaPair, callId: string): SipRequest {
  return createRequest({
    method: 'INVITE',
    uri: `sip:bob@127.0.0.1:${pair.near.port}`,
    headers: [
      ['Max-Forwards', '70'],
      ['From', '<sip:alice@127.0.0.1>;tag=caller1'],
      ['To', `<sip:bob@127.0.0.1:${pair.near.port}>`],
      ['Call-ID', callId],
      ['CSeq', '4 INVITE'],
      ['Contact', `<sip:alice@127.0.0.1:${pair.far.port}>`],
      ['Record-Route', '<sip:127.0.0.1:5080;lr>, <sip:127.0.0.1:5090;lr>'],
    ],
  });
}

function statuses(messages: SipMessage[]): number[] {
  return messages.flatMap((m) => (m.type === 'response' ? [m.status] : []));
}

describe('the UAS side of an INVITE', () => {
  let pair: UaPair;
  let ua: UserAgent;
  let calls: IncomingCall[];

  beforeEach(async () => ({ pair, ua, calls } = await createCalleePair()));
  afterEach(() => pair.stop());

  it('retransmits the 2xx at T1, 2*T1, 4*T1 … up to T2 until the ACK, then confirms (§13.3.1.4)', async () => {
    pair.far.layer.sendRequest(invite(pair, 'uas-1'), pair.near.target, {});
    await pair.settle();
    const call = calls[0]!;
    call.progress();
    let dialog: Dialog | undefined;
    void call.answer({ sdp: 'v=0\r\n' }).then((d) => (dialog = d));
    await pair.settle();
    const sentOks = (): number =>
      statuses(pair.sentBy(pair.near.port)).filter((s) => s === 200).length;
    expect(sentOks()).toBe(1);

    const schedule = [500, 1000, 2000, 4000, 4000];
    for (const [i, wait] of schedule.entries()) {
      await pair.advance(wait - 1);
      expect(sentOks()).toBe(1 + i);
      await pair.advance(1);
      expect(sentOks()).toBe(2 + i);
    }

    // The ACK for the 2xx: the far core's own request (same CSeq number, method ACK).
    const ok = pair.sentBy(pair.near.port).find((m) => m.type === 'response' && m.status === 200)!;
    await pair.far.layer.sendStateless(
      createRequest({
        method: 'ACK',
        uri: `sip:bob@127.0.0.1:${pair.near.port}`,
        headers: [
          ['Max-Forwards', '70'],
          ['From', '<sip:alice@127.0.0.1>;tag=caller1'],
          ['To', ok.headers.get('to')!],
          ['Call-ID', 'uas-1'],
          ['CSeq', '4 ACK'],
        ],
      }),
      pair.near.target,
    );
    await pair.settle();
    expect(dialog).toBeDefined();
    const before = sentOks();
    await pair.advance(10 * PAIR_T2_MS);
    expect(sentOks()).toBe(before);

    expect(dialog!.id).toEqual({ callId: 'uas-1', localTag: call.toTag, remoteTag: 'caller1' });
    // §12.1.1: the 180 and the 200 carry the Record-Route values of the INVITE, in order.
    for (const status of [180, 200]) {
      const response = pair
        .sentBy(pair.near.port)
        .find((m) => m.type === 'response' && m.status === status)!;
      expect(response.headers.getAll('record-route')).toEqual([
        '<sip:127.0.0.1:5080;lr>, <sip:127.0.0.1:5090;lr>',
      ]);
      expect(response.to().tag).toBe(call.toTag);
      expect(response.headers.get('contact')).toBe(`<sip:bob@127.0.0.1:${pair.near.port}>`);
    }
    expect(dialog!.remoteTarget).toBe(`sip:alice@127.0.0.1:${pair.far.port}`);
    // §12.1.1: the UAS keeps the Record-Route order.
    expect(dialog!.routeSet).toEqual(['<sip:127.0.0.1:5080;lr>', '<sip:127.0.0.1:5090;lr>']);
  });

  it('ends the call with a BYE and NO_ACK when no ACK comes within 64*T1', async () => {
    pair.far.layer.sendRequest(invite(pair, 'uas-2'), pair.near.target, {});
    const byes: SipRequest[] = [];
    pair.far.layer.onRequest((tx) => {
      byes.push(tx.request);
    });
    await pair.settle();
    const answered = calls[0]!.answer();
    const outcome = expect(answered).rejects.toMatchObject({ code: 'NO_ACK' });
    await pair.advance(64 * PAIR_T1_MS);
    await outcome;
    expect(byes.map((r) => r.method)).toEqual(['BYE']);
    // §12.2.1.1 with a loose first route: Request-URI is the remote target, Route the route set,
    // and the BYE goes to the first route (the far side here).
    expect(byes[0]!.uri).toBe(`sip:alice@127.0.0.1:${pair.far.port}`);
    expect(byes[0]!.headers.getAll('route')).toEqual([
      '<sip:127.0.0.1:5080;lr>',
      '<sip:127.0.0.1:5090;lr>',
    ]);
  });

  it('answers CANCEL with 200 and the INVITE with 487 (§9.2)', async () => {
    const finals: number[] = [];
    const tx = pair.far.layer.sendRequest(invite(pair, 'uas-3'), pair.near.target, {
      final: (response) => finals.push(response.status),
    });
    await pair.settle();
    let cancelled = false;
    calls[0]!.onCancel(() => (cancelled = true));
    calls[0]!.progress();
    await pair.settle();
    pair.far.layer.sendCancel(tx);
    await pair.settle();
    expect(cancelled).toBe(true);
    expect(finals).toEqual([487]);
    expect(statuses(pair.sentBy(pair.near.port))).toEqual(expect.arrayContaining([180, 200, 487]));
  });

  it('answers a BYE in the dialog with 200 and ends the dialog', async () => {
    pair.far.layer.sendRequest(invite(pair, 'uas-4'), pair.near.target, {});
    await pair.settle();
    const call = calls[0]!;
    const answered = call.answer();
    await pair.settle();
    const ok = pair.sentBy(pair.near.port).find((m) => m.type === 'response' && m.status === 200)!;
    const inDialog = (method: string, seq: number): SipRequest =>
      createRequest({
        method,
        uri: `sip:bob@127.0.0.1:${pair.near.port}`,
        headers: [
          ['Max-Forwards', '70'],
          ['From', '<sip:alice@127.0.0.1>;tag=caller1'],
          ['To', ok.headers.get('to')!],
          ['Call-ID', 'uas-4'],
          ['CSeq', `${seq} ${method}`],
        ],
      });
    await pair.far.layer.sendStateless(inDialog('ACK', 4), pair.near.target);
    const dialog = await answered;
    const finals: number[] = [];
    pair.far.layer.sendRequest(inDialog('BYE', 5), pair.near.target, {
      final: (r) => finals.push(r.status),
    });
    await pair.settle();
    expect(finals).toEqual([200]);
    await expect(dialog.ended).resolves.toEqual({ by: 'remote', reason: 'bye' });
    expect(ua.dialogs()).toHaveLength(0);

    // A request for the ended dialog: 481 (§12.2.2).
    pair.far.layer.sendRequest(inDialog('BYE', 6), pair.near.target, {
      final: (r) => finals.push(r.status),
    });
    await pair.settle();
    expect(finals).toEqual([200, 481]);
  });
});
