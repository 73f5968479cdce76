// registrar-agent's errors: one class, a stable code per failure. Append-only: a published code
// keeps its meaning. Messages never carry a password, token or other secret.

export const AgentErrorCode = {
  /** The sealed password could not be opened (unknown key id, tampered, wrong selector). */
  PasswordUnreadable: 'PASSWORD_UNREADABLE',
  /** A push request failed on the bus or was answered with an error reply. */
  PushFailed: 'PUSH_FAILED',
  /** A load page could not be fetched or decoded. */
  LoadFailed: 'LOAD_FAILED',
  /** A checkpoint batch was not acknowledged (bus failure or error reply); it is kept and resent. */
  CheckpointFailed: 'CHECKPOINT_FAILED',
  /** The account's registrar or outbound proxy is no usable SIP URI, or names no server. */
  BadRegistrar: 'BAD_REGISTRAR',
  /** A setting is out of range (shard name, prefixes, rates, bounds). */
  BadSettings: 'BAD_SETTINGS',
  /** The agent was asked to start twice, or to work after stop(). */
  NotRunning: 'NOT_RUNNING',
  /** An expiry (the delete of an instance nobody heard from) was not answered; it is retried. */
  ExpireFailed: 'EXPIRE_FAILED',
} as const;
export type AgentErrorCode = (typeof AgentErrorCode)[keyof typeof AgentErrorCode];

export interface AgentErrorOptions {
  readonly retryable?: boolean;
  readonly cause?: unknown;
  /** The instance it concerns, when one does. */
  readonly selector?: string;
}

export class AgentError extends Error {
  readonly code: AgentErrorCode;
  /** Whether doing the same again may succeed. */
  readonly retryable: boolean;
  readonly selector: string | undefined;

  constructor(code: AgentErrorCode, message: string, options: AgentErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AgentError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.selector = options.selector;
  }
}
