import { createInProcessBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import { decodeMessage, StoreMessage, subjects } from '@sipwake/contracts';
import type { StoredMessage } from './store.js';
import { createBusMessageStore, messageId } from './bus-store.js';

const message: StoredMessage = {
  selector: 'b'.repeat(40),
  callId: 'm-1@example.test',
  cseq: 7,
  from: 'sip:bob@example.test',
  fromDisplayName: 'Bob',
  to: 'sip:alice@example.test',
  contentType: 'text/plain',
  body: Buffer.from('hello'),
  receivedAt: 1_700_000_000_000,
};

describe('the MESSAGE store over the bus', () => {
  let bus: Bus;
  beforeEach(() => {
    bus = createInProcessBus();
  });
  afterEach(async () => {
    await bus.close();
  });

  it('sends StoreMessage with a stable id and reports the RecordAck', async () => {
    const seen: StoreMessage[] = [];
    bus.subscribe(subjects.stateMessage, (m) => {
      seen.push(decodeMessage(StoreMessage, m.data));
      m.respond(
        Buffer.from(JSON.stringify({ outcome: seen.length === 1 ? 'written' : 'duplicate' })),
      );
    });
    const store = createBusMessageStore({ bus, timeoutMs: 1000 });
    await expect(store.store(message)).resolves.toEqual({ stored: true, outcome: 'written' });
    await expect(store.store(message)).resolves.toEqual({ stored: true, outcome: 'duplicate' });
    expect(seen[0]).toEqual({
      id: messageId(message),
      selector: message.selector,
      callId: message.callId,
      from: message.from,
      to: message.to,
      contentType: 'text/plain',
      body: Buffer.from('hello').toString('base64'),
      receivedAt: message.receivedAt,
    });
    // A resend of the same MESSAGE names the same record.
    expect(seen[1]!.id).toBe(seen[0]!.id);
    expect(seen[0]!.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(messageId({ ...message, cseq: 8 })).not.toBe(seen[0]!.id);
  });

  it('says not stored, with the error reply code and retryability', async () => {
    bus.subscribe(subjects.stateMessage, (m) => {
      m.respond(
        Buffer.from(
          JSON.stringify({ error: { code: 'STORE_FAILED', message: 'db down', retryable: true } }),
        ),
      );
    });
    const store = createBusMessageStore({ bus, timeoutMs: 1000 });
    await expect(store.store(message)).resolves.toEqual({
      stored: false,
      code: 'STORE_FAILED',
      retryable: true,
    });
  });

  it('says not stored and retryable when nobody answers', async () => {
    const store = createBusMessageStore({ bus, timeoutMs: 200 });
    const result = await store.store(message);
    expect(result).toMatchObject({ stored: false, retryable: true });
  });
});
