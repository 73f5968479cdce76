// Typed errors of digest authentication. Codes are stable and append-only; `digestErrorCodes`
// documents each one (a test keeps the table and the codes in step). A DigestError never carries
// a password: its evidence is the realm, the algorithm and the header it is about.

export const DigestErrorCode = {
  NoChallenge: 'DIGEST_NO_CHALLENGE',
  MalformedChallenge: 'DIGEST_MALFORMED_CHALLENGE',
  UnsupportedAlgorithm: 'DIGEST_UNSUPPORTED_ALGORITHM',
  UnsupportedQop: 'DIGEST_UNSUPPORTED_QOP',
  NoCredentials: 'DIGEST_NO_CREDENTIALS',
  CredentialsRejected: 'DIGEST_CREDENTIALS_REJECTED',
  InvalidValue: 'DIGEST_INVALID_VALUE',
  LookupFailed: 'DIGEST_LOOKUP_FAILED',
  InvalidOptions: 'DIGEST_INVALID_OPTIONS',
} as const;

export type DigestErrorCode = (typeof DigestErrorCode)[keyof typeof DigestErrorCode];

/** What each code means, in the order the codes were added (append only). */
export const digestErrorCodes: Readonly<Record<DigestErrorCode, string>> = {
  DIGEST_NO_CHALLENGE:
    'The response carries no Digest challenge (none at all, or only other schemes).',
  DIGEST_MALFORMED_CHALLENGE:
    'A Digest challenge lacks realm or nonce, or mixes -sess with no qop.',
  DIGEST_UNSUPPORTED_ALGORITHM:
    'Every Digest challenge names an algorithm this side does not accept.',
  DIGEST_UNSUPPORTED_QOP:
    'The qop options offered cannot be met (e.g. only auth-int and no body given).',
  DIGEST_NO_CREDENTIALS:
    'No credentials (or no stored HA1 for the hash) match the challenged realm.',
  DIGEST_CREDENTIALS_REJECTED:
    'A fresh answer was challenged again by its realm without stale=true: credentials refused.',
  DIGEST_INVALID_VALUE: 'A value cannot be written into the header (CR, LF or NUL in it).',
  DIGEST_LOOKUP_FAILED: 'The injected credential lookup threw or rejected; retryable.',
  DIGEST_INVALID_OPTIONS: 'A client or server option is out of range; the key is named.',
};

export interface DigestErrorDetails {
  readonly realm?: string;
  readonly algorithm?: string;
  /** The header (or option key) the error is about. */
  readonly field?: string;
  readonly cause?: unknown;
}

export class DigestError extends Error {
  override readonly name = 'DigestError';
  readonly code: DigestErrorCode;
  readonly realm: string | undefined;
  readonly algorithm: string | undefined;
  readonly field: string | undefined;
  /** Decided where raised: only a failed lookup is worth retrying as is. */
  readonly retryable: boolean;

  constructor(code: DigestErrorCode, message: string, details: DigestErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.realm = details.realm;
    this.algorithm = details.algorithm;
    this.field = details.field;
    this.retryable = code === DigestErrorCode.LookupFailed;
  }
}
