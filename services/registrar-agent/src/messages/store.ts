// Where an incoming MESSAGE is kept until the app fetches it (DESIGN.md "What the app sees" 4).
// The store answers only after the message is durable: the agent says 202 then; a failure is a
// value (not a throw) that says whether the sender should retry (503) or not (500).
import type { RecordOutcome } from '@sipwake/contracts';

export interface StoredMessage {
  readonly selector: string;
  /** The SIP Call-ID and CSeq of the MESSAGE: a retransmission or resend keeps both. */
  readonly callId: string;
  readonly cseq: number;
  /** The sender: From URI and display name. */
  readonly from: string;
  readonly fromDisplayName: string | undefined;
  /** The To URI. */
  readonly to: string;
  /** Media type, lower-cased, without parameters. */
  readonly contentType: string;
  readonly body: Buffer;
  /** Wall-clock ms when the agent took it. */
  readonly receivedAt: number;
}

export type StoreResult =
  | { readonly stored: true; readonly outcome: RecordOutcome }
  | { readonly stored: false; readonly code: string; readonly retryable: boolean };

export interface MessageStore {
  /** Resolves once the message is committed, or with why it is not. Never rejects. */
  store(message: StoredMessage): Promise<StoreResult>;
}
