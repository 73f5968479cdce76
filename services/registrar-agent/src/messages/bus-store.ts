// The MessageStore over the bus: `StoreMessage` on the state-persister's message subject, the
// reply (`RecordAck`, after COMMIT) or an error reply. The message id is derived from selector,
// Call-ID and CSeq, so a MESSAGE the sender retransmits after a lost answer is stored once.
import { createHash } from 'node:crypto';
import type { Bus } from '@sipwake/bus';
import { decodeReply, encodeMessage, RecordAck, StoreMessage, subjects } from '@sipwake/contracts';
import type { MessageStore, StoredMessage } from './store.js';

export interface BusMessageStoreOptions {
  readonly bus: Bus;
  readonly timeoutMs: number;
  /** Trace context and other headers for each request. */
  readonly headers?: () => Record<string, string>;
}

/** A UUID (RFC 9562 §5.5 layout, version 5 from SHA-1) naming one MESSAGE of one instance. */
export function messageId(message: Pick<StoredMessage, 'selector' | 'callId' | 'cseq'>): string {
  const hash = createHash('sha1')
    .update(`${message.selector}\0${message.callId}\0${message.cseq}`)
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function toStoreMessage(message: StoredMessage): StoreMessage {
  return {
    id: messageId(message),
    selector: message.selector,
    ...(message.callId.length <= 256 ? { callId: message.callId } : {}),
    from: message.from.slice(0, 1024),
    to: message.to.slice(0, 1024),
    contentType: message.contentType.slice(0, 256),
    body: message.body.toString('base64'),
    receivedAt: message.receivedAt,
  };
}

export function createBusMessageStore(options: BusMessageStoreOptions): MessageStore {
  const subject = subjects.stateMessage;
  return {
    async store(message) {
      let data: Uint8Array;
      try {
        data = encodeMessage(StoreMessage, toStoreMessage(message), { subject });
      } catch {
        // A field the schema refuses: resending the same MESSAGE cannot help.
        return { stored: false, code: 'INVALID_MESSAGE', retryable: false };
      }
      try {
        const reply = await options.bus.request(subject, data, {
          timeoutMs: options.timeoutMs,
          headers: options.headers?.() ?? {},
        });
        const decoded = decodeReply(RecordAck, reply.data, { subject });
        if (!decoded.ok) {
          return { stored: false, code: decoded.error.code, retryable: decoded.error.retryable };
        }
        return { stored: true, outcome: decoded.value.outcome };
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        return {
          stored: false,
          code: typeof code === 'string' ? code : 'BUS_FAILED',
          retryable: true,
        };
      }
    },
  };
}
