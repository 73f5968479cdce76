import { createResponse } from '@sipwake/sip-parser';
import type { Flow } from '../transport/types.js';
import { createHarness, requestText } from './test-support/harness.js';
import type { ServerTransaction, TerminatedEvent } from './types.js';

const T1 = 500;

function receive(method = 'OPTIONS', flow: Partial<Flow> = {}) {
  const h = createHarness();
  const transactions: ServerTransaction[] = [];
  const ended: TerminatedEvent[] = [];
  h.layer.onRequest((tx) => {
    transactions.push(tx);
    tx.onTerminated((e) => void ended.push(e));
  });
  const transport = flow.protocol === 'tcp' ? 'TCP' : 'UDP';
  const text = requestText({
    method,
    via: `SIP/2.0/${transport} 127.0.0.1:5070;branch=z9hG4bK-nis-1;rport`,
  });
  h.transport.deliver(text, flow);
  return {
    ...h,
    transactions,
    ended,
    tx: () => transactions[0]!,
    retransmit: () => h.transport.deliver(text, flow),
    respond: (status: number) =>
      transactions[0]!.respond(
        createResponse(transactions[0]!.request, status, undefined, { toTag: 'x' }),
      ),
  };
}

describe('non-INVITE server transaction (RFC 3261 §17.2.2)', () => {
  it('starts in Trying and discards retransmissions while the TU has not answered', () => {
    const { tx, retransmit, sentResponses, transactions, clock } = receive();
    expect(tx().state).toBe('Trying');
    retransmit();
    retransmit();
    expect(transactions).toHaveLength(1);
    expect(sentResponses()).toHaveLength(0);
    clock.advance(10_000);
    expect(sentResponses()).toHaveLength(0); // no automatic 100 for non-INVITE
  });

  it('goes Trying → Proceeding on a 1xx, repeats the last provisional to retransmissions, then Completed on a final', () => {
    const { tx, retransmit, respond, sentResponses } = receive('REGISTER');
    expect(respond(100)).toBe(true);
    expect(tx().state).toBe('Proceeding');
    retransmit();
    expect(sentResponses(100)).toHaveLength(2);
    expect(respond(180)).toBe(true);
    expect(tx().state).toBe('Proceeding');
    expect(respond(200)).toBe(true);
    expect(tx().state).toBe('Completed');
    expect(sentResponses().map((s) => s.message.status)).toEqual([100, 100, 180, 200]);
  });

  it('in Completed resends the final to retransmissions, discards further TU responses, and ends on Timer J at 64*T1', () => {
    const { tx, retransmit, respond, sentResponses, clock, ended } = receive();
    respond(200);
    expect(tx().state).toBe('Completed');
    retransmit();
    expect(respond(500)).toBe(false);
    expect(respond(180)).toBe(false);
    expect(sentResponses().map((s) => s.message.status)).toEqual([200, 200]);
    clock.advance(64 * T1 - 1);
    expect(tx().state).toBe('Completed');
    clock.advance(1);
    expect(tx().state).toBe('Terminated');
    expect(ended.map((e) => e.reason)).toEqual(['completed']);
    expect(clock.pending()).toBe(0);
  });

  it('sets Timer J to zero on a reliable transport and answers on the connection the request came on', () => {
    const { tx, respond, sentResponses } = receive('OPTIONS', {
      protocol: 'tcp',
      connectionId: 'conn-9',
    });
    respond(200);
    expect(tx().state).toBe('Terminated');
    expect(sentResponses(200)[0]!.target).toMatchObject({
      protocol: 'tcp',
      connectionId: 'conn-9',
    });
  });

  it('treats a request arriving after Terminated as a new transaction', () => {
    const { respond, retransmit, transactions } = receive('OPTIONS', { protocol: 'tcp' });
    respond(200);
    retransmit();
    expect(transactions).toHaveLength(2);
  });

  it('informs the TU and terminates on a transport error in Proceeding and in Completed', async () => {
    const proceeding = receive();
    proceeding.transport.failSends(true);
    proceeding.respond(183);
    await proceeding.transport.settle();
    expect(proceeding.tx().state).toBe('Terminated');
    expect(proceeding.ended).toMatchObject([
      { reason: 'transport-error', error: { code: 'TRANSPORT_FAILED', sipStatus: 503 } },
    ]);

    const completed = receive();
    completed.transport.failSends(true);
    const errors: string[] = [];
    completed.tx().onTransportError((e) => void errors.push(e.code));
    completed.respond(200);
    await completed.transport.settle();
    expect(completed.tx().state).toBe('Terminated');
    expect(errors).toEqual(['TRANSPORT_FAILED']);
    expect(completed.clock.pending()).toBe(0);
  });
});
