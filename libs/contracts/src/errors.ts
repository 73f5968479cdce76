// The contracts' errors: one class, a stable code per failure, the evidence as fields.
// The table below is append-only: a code, once published, keeps its meaning.

export const ContractErrorCode = {
  /** A bus message is not JSON or fails its schema; `errors` names the failing fields. */
  InvalidMessage: 'INVALID_MESSAGE',
  /** A prefix is not `HEX/BITS` (or `HEX`): empty, a non-hex digit, a bad bit count. */
  BadPrefix: 'BAD_PREFIX',
  /** A prefix's bit count is outside 0..160 (a selector has 160 bits). */
  PrefixLengthOutOfRange: 'PREFIX_LENGTH_OUT_OF_RANGE',
  /** A prefix has a bit set beyond its length (`5/2`: 0101 has bit 4 set, only 2 bits count). */
  PrefixBitsBeyondLength: 'PREFIX_BITS_BEYOND_LENGTH',
  /** A prefix is finer than the selector digits subjects carry: no subscription can be exact. */
  PrefixTooFineForSubjects: 'PREFIX_TOO_FINE_FOR_SUBJECTS',
  /** Text that should be a selector is not 40 lowercase hex digits. */
  BadSelector: 'BAD_SELECTOR',
  /** An account identity cannot name an instance: an empty part, or a NUL inside one. */
  BadAccountIdentity: 'BAD_ACCOUNT_IDENTITY',
  /** An id put into a subject (router id, shard name) is not one NATS token of `[A-Za-z0-9_-]`. */
  BadSubjectToken: 'BAD_SUBJECT_TOKEN',
  /** A host prefix length is not an integer of 0..40 hex digits, or the host is empty. */
  BadHostPrefixLength: 'BAD_HOST_PREFIX_LENGTH',
} as const;

export type ContractErrorCode = (typeof ContractErrorCode)[keyof typeof ContractErrorCode];

/** One failing field of a message: a JSON pointer (`/rows/0/cseq`, `` for the whole) and why. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export interface ContractErrorOptions {
  /** The subject the message came on (INVALID_MESSAGE at a receiver). */
  readonly subject?: string;
  /** The failing fields (INVALID_MESSAGE). */
  readonly errors?: readonly FieldError[];
  /** The text that was refused (a prefix, a selector, a token); never a message body. */
  readonly input?: string;
  readonly cause?: unknown;
}

export class ContractError extends Error {
  override readonly name = 'ContractError';
  readonly code: ContractErrorCode;
  readonly subject: string | undefined;
  readonly errors: readonly FieldError[];
  readonly input: string | undefined;

  constructor(code: ContractErrorCode, message: string, options: ContractErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.subject = options.subject;
    this.errors = options.errors ?? [];
    this.input = options.input;
  }
}
