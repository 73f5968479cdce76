// Where an incoming MESSAGE is kept until the app fetches it (DESIGN.md "What the app sees" 4).
// The store answers only after the message is durable: the agent says 202 then, and a failure
// makes the sender retry.

export interface StoredMessage {
  readonly selector: string;
  /** The SIP Call-ID of the MESSAGE: a resent MESSAGE keeps it (the store may drop a copy). */
  readonly callId: string;
  readonly cseq: number;
  /** The sender: From URI and display name. */
  readonly from: string;
  readonly fromDisplayName: string | undefined;
  /** Media type, lower-cased, without parameters. */
  readonly contentType: string;
  readonly body: Buffer;
  /** Wall-clock ms when the agent took it. */
  readonly receivedAt: number;
}

export interface MessageStore {
  /** Resolves once the message is committed; rejects when it is not. */
  store(message: StoredMessage): Promise<void>;
}
