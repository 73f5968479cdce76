import { createRequest } from '@sipwake/sip-parser';
import type { SipResponse } from '@sipwake/sip-parser';
import { createUasResponse } from '@sipwake/sip-stack';
import type { CallSide } from '../ports.js';
import { device } from '../calls/test-support/fake-directory.js';
import { ACCOUNT, deviceEndpoint, wireCallSide } from '../calls/test-support/calls-harness.js';
import { createHarness, type Endpoint, type Harness } from '../calls/test-support/harness.js';
import type { MessageStore, StoredMessage } from './store.js';

describe('incoming MESSAGE', () => {
  let h: Harness;
  let side: CallSide;
  let selector: string;
  let sender: Endpoint;
  let stored: StoredMessage[];
  let storeFails: boolean;

  const store: MessageStore = {
    async store(message) {
      if (storeFails) return { stored: false, code: 'STORE_FAILED', retryable: true };
      stored.push(message);
      return { stored: true, outcome: 'written' };
    },
  };

  beforeEach(async () => {
    h = await createHarness();
    selector = h.directory.add(ACCOUNT, [device('dev-1', 'apns-token-1')]);
    stored = [];
    storeFails = false;
    side = wireCallSide(h, { messageStore: store });
    sender = await h.endpoint(5080, 'bob');
  });

  afterEach(async () => {
    await side.stop();
    await h.stop();
  });

  let n = 0;
  const send = async (contentType: string, body: string, to = selector): Promise<SipResponse> => {
    n++;
    const request = createRequest({
      method: 'MESSAGE',
      uri: `sip:${to}@127.0.0.1:${h.agent.port}`,
      headers: [
        ['Max-Forwards', '70'],
        ['From', `"Bob" <sip:bob@example.test>;tag=m${n}`],
        ['To', `<sip:${to}@example.test>`],
        ['Call-ID', `message-${n}`],
        ['CSeq', '1 MESSAGE'],
        ['Content-Type', contentType],
      ],
      body,
    });
    const finals: SipResponse[] = [];
    sender.layer.sendRequest(request, h.agent.target, { final: (r) => finals.push(r) });
    await h.settle();
    expect(finals).toHaveLength(1);
    return finals[0]!;
  };

  it('stores a text message, answers 202 after the store confirmed, and pushes it', async () => {
    const response = await send('text/plain;charset=utf-8', 'hello');
    expect(response.status).toBe(202);
    expect(stored).toEqual([
      expect.objectContaining({
        selector,
        callId: 'message-1',
        from: 'sip:bob@example.test',
        fromDisplayName: 'Bob',
        contentType: 'text/plain',
        body: Buffer.from('hello'),
      }),
    ]);
    expect(h.push.requests).toEqual([
      expect.objectContaining({
        type: 'message',
        selector,
        caller: { uri: 'sip:bob@example.test', displayName: 'Bob' },
      }),
    ]);
  });

  it('accepts and drops an is-composing indication', async () => {
    const response = await send('application/im-iscomposing+xml', '<isComposing/>');
    expect(response.status).toBe(200);
    expect(stored).toEqual([]);
    expect(h.push.requests).toEqual([]);
  });

  it('keeps a delivery notification without a push', async () => {
    const response = await send('message/imdn+xml', '<imdn/>');
    expect(response.status).toBe(202);
    expect(stored.map((m) => m.contentType)).toEqual(['message/imdn+xml']);
    expect(h.push.requests).toEqual([]);
  });

  it('refuses a body over the configured size with 413 and keeps nothing', async () => {
    const response = await send('text/plain', 'x'.repeat(h.config.maxMessageBytes + 1));
    expect(response.status).toBe(413);
    expect(stored).toEqual([]);
    expect(h.push.requests).toEqual([]);
  });

  it('answers 503 with Retry-After when the store fails, and pushes nothing', async () => {
    storeFails = true;
    const response = await send('text/plain', 'hello');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('10');
    expect(h.push.requests).toEqual([]);
  });

  it('answers 404 for an instance the shard does not hold', async () => {
    const response = await send('text/plain', 'hello', 'e'.repeat(40));
    expect(response.status).toBe(404);
  });

  it('relays the message at once to a live device binding', async () => {
    const phone = await deviceEndpoint(h, 5090, 'phone', selector);
    const registered = phone.registration.register(60);
    await h.settle();
    await registered;
    const got: string[] = [];
    phone.ua.onRequest((tx) => {
      got.push(tx.request.body.toString());
      tx.respond(createUasResponse(tx.request, 200));
    });
    const response = await send('text/plain', 'wake up');
    expect(response.status).toBe(202);
    expect(got).toEqual(['wake up']);
  });
});
