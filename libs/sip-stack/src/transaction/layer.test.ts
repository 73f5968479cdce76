import { createResponse, serializeMessage } from '@sipwake/sip-parser';
import type { SendTarget } from '../transport/types.js';
import { createManualClock } from '../clock.js';
import { createTransactionLayer } from './layer.js';
import {
  answer,
  createHarness,
  createRecordingTransport,
  LOCAL,
  REMOTE,
  recordClientEvents,
  request,
  requestText,
  tcpTarget,
  udpTarget,
} from './test-support/harness.js';
import type { ServerTransaction, TerminatedEvent } from './types.js';

describe('transaction layer', () => {
  it('stop() clears every timer and terminates every transaction, whatever its state', () => {
    const h = createHarness();
    const clientLogs = [recordClientEvents(), recordClientEvents(), recordClientEvents()];
    const calling = h.layer.sendRequest(
      request({ method: 'INVITE', via: null }),
      udpTarget(),
      clientLogs[0]!.handlers,
    );
    const completed = h.layer.sendRequest(
      request({ method: 'INVITE', via: null }),
      udpTarget(),
      clientLogs[1]!.handlers,
    );
    h.transport.deliver(answer(h.sentRequests('INVITE')[1]!.message, 486));
    const trying = h.layer.sendRequest(
      request({ method: 'MESSAGE', via: null }),
      udpTarget(),
      clientLogs[2]!.handlers,
    );
    const servers: ServerTransaction[] = [];
    const ended: TerminatedEvent[] = [];
    h.layer.onRequest((tx) => {
      servers.push(tx);
      tx.onTerminated((e) => void ended.push(e));
    });
    h.transport.deliver(requestText({ method: 'INVITE' }));
    h.transport.deliver(requestText({ method: 'INVITE' }));
    servers[1]!.respond(createResponse(servers[1]!.request, 200, undefined, { toTag: 'a' }));
    h.transport.deliver(requestText({ method: 'OPTIONS' }));
    servers[2]!.respond(createResponse(servers[2]!.request, 200, undefined, { toTag: 'b' }));

    expect(completed.state).toBe('Completed');
    expect(servers.map((s) => s.state)).toEqual(['Proceeding', 'Accepted', 'Completed']);
    expect(h.layer.size()).toEqual({ client: 3, server: 3 });
    expect(h.clock.pending()).toBeGreaterThan(0);

    h.layer.stop();
    h.layer.stop();
    expect(h.clock.pending()).toBe(0);
    expect(h.layer.size()).toEqual({ client: 0, server: 0 });
    expect([calling.state, completed.state, trying.state]).toEqual([
      'Terminated',
      'Terminated',
      'Terminated',
    ]);
    expect(clientLogs.map((l) => l.events.at(-1))).toEqual([
      'terminated stopped Terminated',
      'terminated stopped Terminated',
      'terminated stopped Terminated',
    ]);
    expect(ended.map((e) => e.reason)).toEqual(['stopped', 'stopped', 'stopped']);

    const before = h.transport.sent.length;
    h.transport.deliver(requestText({ method: 'OPTIONS' }));
    expect(servers).toHaveLength(3);
    expect(h.transport.sent.length).toBe(before);
    expect(() => h.layer.sendRequest(request({ via: null }), udpTarget())).toThrow(
      expect.objectContaining({ code: 'LAYER_STOPPED' }),
    );
  });

  it('holds at most maxTransactions: sendRequest throws, a new request gets a stateless 503', () => {
    const h = createHarness({ maxTransactions: 2 });
    const seen: string[] = [];
    h.layer.onRequest((tx) => void seen.push(tx.request.method));
    h.layer.sendRequest(request({ via: null }), tcpTarget());
    h.transport.deliver(requestText({ method: 'MESSAGE' }));
    expect(() => h.layer.sendRequest(request({ via: null }), tcpTarget())).toThrow(
      expect.objectContaining({ code: 'TOO_MANY_TRANSACTIONS', sipStatus: 503 }),
    );
    h.transport.deliver(requestText({ method: 'OPTIONS' }));
    expect(seen).toEqual(['MESSAGE']);
    expect(h.sentResponses(503)).toHaveLength(1);
    expect(h.sentResponses(503)[0]!.message.to().tag).toBeDefined();
  });

  it('frees room when transactions end', () => {
    const h = createHarness({ maxTransactions: 1 });
    h.layer.sendRequest(request({ via: null }), tcpTarget());
    h.transport.deliver(answer(h.sentRequests('OPTIONS')[0]!.message, 200)); // Timer K = 0 on TCP
    expect(h.layer.size()).toEqual({ client: 0, server: 0 });
    expect(() => h.layer.sendRequest(request({ via: null }), tcpTarget())).not.toThrow();
  });

  it('keeps a Via the TU wrote, refuses one without branch, a CSeq of another method and a duplicate', () => {
    const h = createHarness();
    const own = request({ via: 'SIP/2.0/UDP 198.51.100.1:5062;branch=z9hG4bK-mine' });
    const tx = h.layer.sendRequest(own, udpTarget());
    expect(tx.branch).toBe('z9hG4bK-mine');
    expect(h.sentRequests('OPTIONS')[0]!.message.via()).toHaveLength(1);
    expect(() =>
      h.layer.sendRequest(
        request({ via: 'SIP/2.0/UDP 198.51.100.1:5062;branch=z9hG4bK-mine' }),
        udpTarget(),
      ),
    ).toThrow(expect.objectContaining({ code: 'DUPLICATE_TRANSACTION' }));
    expect(() =>
      h.layer.sendRequest(request({ via: 'SIP/2.0/UDP 198.51.100.1' }), udpTarget()),
    ).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    const mismatch = request({ via: null });
    mismatch.headers.set('cseq', '1 BYE');
    expect(() => h.layer.sendRequest(mismatch, udpTarget())).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
  });

  it('needs a sent-by: none from a wildcard listener, the sentBy option otherwise (IPv6 in brackets)', () => {
    const clock = createManualClock();
    const transport = createRecordingTransport(clock, [
      { protocol: 'udp', address: '0.0.0.0', port: 5060 },
    ]);
    const bare = createTransactionLayer({ transport, clock });
    expect(() => bare.sendRequest(request({ via: null }), udpTarget())).toThrow(
      expect.objectContaining({ code: 'NO_SENT_BY' }),
    );
    const configured = createTransactionLayer({
      transport,
      clock,
      sentBy: () => ({ host: '2001:db8::5', port: 5090 }),
    });
    configured.sendRequest(request({ via: null }), udpTarget());
    const via = transport.sent[0]!.message.headers.get('via');
    expect(via).toMatch(/^SIP\/2\.0\/UDP \[2001:db8::5\]:5090;branch=z9hG4bK[^;]+;rport$/);
  });

  it('sends an ACK for a 2xx statelessly, with a Via and a new branch', async () => {
    const h = createHarness();
    const ack = request({ method: 'ACK', via: null, toTag: 'callee' });
    await h.layer.sendStateless(ack, udpTarget());
    const sent = h.sentRequests('ACK');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.message.topVia().branch).toMatch(/^z9hG4bK/);
    expect(h.layer.size().client).toBe(0);
  });

  it('answers 500 when onRequest throws, 503 when no handler is set', () => {
    const throwing = createHarness();
    throwing.layer.onRequest(() => {
      throw new Error('bug in the TU');
    });
    throwing.transport.deliver(requestText({ method: 'MESSAGE' }));
    expect(throwing.sentResponses().map((s) => s.message.status)).toEqual([500]);

    const unready = createHarness();
    unready.transport.deliver(requestText({ method: 'MESSAGE' }));
    expect(unready.sentResponses().map((s) => s.message.status)).toEqual([503]);
  });

  it('gives its own 500 the To tag of the 180 the TU sent before it threw (§8.2.6.2)', () => {
    const h = createHarness();
    h.layer.onRequest((tx) => {
      tx.respond(createResponse(tx.request, 100, undefined));
      tx.respond(createResponse(tx.request, 180, undefined, { toTag: 'ringing-tag' }));
      throw new Error('bug in the TU');
    });
    h.transport.deliver(requestText({ method: 'INVITE' }));
    const sent = h.sentResponses().map((s) => [s.message.status, s.message.to().tag]);
    expect(sent).toEqual([
      [100, undefined],
      [180, 'ringing-tag'],
      [500, 'ringing-tag'],
    ]);
  });

  it('answers 400 from the raw lines when a header fails only on first access, in matching', async () => {
    const h = createHarness();
    const raw: { target: SendTarget; text: string }[] = [];
    const layer = createTransactionLayer({
      transport: {
        ...h.transport,
        send: async (target, message) => {
          const bytes = Buffer.isBuffer(message) ? message : serializeMessage(message);
          raw.push({ target, text: bytes.toString('latin1') });
          return { protocol: 'udp', local: LOCAL, remote: REMOTE };
        },
      },
      clock: h.clock,
    });
    const tus: string[] = [];
    layer.onRequest((tx) => void tus.push(tx.request.method));
    // Built, not parsed: the CSeq is read first when the RFC 2543 matching key needs it.
    const invite = request({ method: 'INVITE', branch: 'rfc2543-branch', callId: 'lazy-cseq' });
    invite.headers.set('cseq', 'abc INVITE');
    h.transport.deliver(invite);
    await h.transport.settle();
    expect(tus).toEqual([]);
    expect(raw).toHaveLength(1);
    expect(raw[0]!.text).toMatch(/^SIP\/2\.0 400 Bad CSeq\r\n/);
    expect(raw[0]!.text).toContain('\r\nCall-ID: lazy-cseq\r\n');
    expect(raw[0]!.target).toEqual({ protocol: 'udp', address: '127.0.0.1', port: 5070 });
  });

  it('keeps a machine running when a client handler throws', () => {
    const h = createHarness();
    const tx = h.layer.sendRequest(request({ method: 'INVITE', via: null }), udpTarget(), {
      provisional: () => {
        throw new Error('bug in the TU');
      },
    });
    h.transport.deliver(answer(h.sentRequests('INVITE')[0]!.message, 180));
    expect(tx.state).toBe('Proceeding');
  });

  it('treats a transport whose send throws like one whose send rejects', async () => {
    const clock = createManualClock();
    const transport = createRecordingTransport(clock);
    const throwing = {
      ...transport,
      send: () => {
        throw new Error('socket gone');
      },
    };
    const layer = createTransactionLayer({ transport: throwing, clock });
    const log = recordClientEvents();
    await new Promise<void>((resolve) => {
      layer.sendRequest(request({ via: null }), udpTarget(), {
        ...log.handlers,
        terminated: (event, tx) => {
          log.handlers.terminated?.(event, tx);
          resolve();
        },
      });
    });
    expect(log.events).toEqual([
      'transportError TRANSPORT_FAILED 503',
      'terminated transport-error Terminated',
    ]);
    expect(clock.pending()).toBe(0);
  });

  it('takes its timer base from the options', () => {
    const h = createHarness({ t1Ms: 100, t2Ms: 400 });
    h.layer.sendRequest(request({ via: null }), udpTarget());
    h.clock.advance(64 * 100);
    expect(h.sentRequests('OPTIONS').map((s) => s.at)).toEqual([
      0, 100, 300, 700, 1100, 1500, 1900, 2300, 2700, 3100, 3500, 3900, 4300, 4700, 5100, 5500,
      5900, 6300,
    ]);
    expect(h.layer.size().client).toBe(0);
  });

  it('refuses options out of range, naming the key', () => {
    const clock = createManualClock();
    const transport = createRecordingTransport(clock);
    expect(() => createTransactionLayer({ transport, clock, t1Ms: 0 })).toThrow(/t1Ms/);
    expect(() => createTransactionLayer({ transport, clock, t1Ms: 500, t2Ms: 100 })).toThrow(
      /t2Ms/,
    );
    expect(() => createTransactionLayer({ transport, clock, maxTransactions: 1.5 })).toThrow(
      expect.objectContaining({
        code: 'BAD_OPTIONS',
        message: expect.stringMatching(/maxTransactions/),
      }),
    );
  });
});
