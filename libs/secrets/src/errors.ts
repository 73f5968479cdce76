// The secrets library's errors: one class, a stable code per failure, the evidence as fields.
// The table below is append-only: a code, once published, keeps its meaning.
// No message, field or cause ever holds key material or a plaintext: errors name the file,
// the key id and the problem only.

export const SecretsErrorCode = {
  /** The key file does not exist. */
  KeyFileMissing: 'KEY_FILE_MISSING',
  /** The key file exists but cannot be read (not a regular file, access denied, too large). */
  KeyFileUnreadable: 'KEY_FILE_UNREADABLE',
  /** The key file can be read by its group or by everyone: refused. */
  KeyFilePermissions: 'KEY_FILE_PERMISSIONS',
  /** The key file is not the documented JSON shape (bad JSON, unknown version, no keys). */
  KeyFileInvalid: 'KEY_FILE_INVALID',
  /** A key is not 32 bytes of base64, or a key id is not of the documented form. */
  KeyInvalid: 'KEY_INVALID',
  /** The key named `current` is not in the key file or key ring. */
  CurrentKeyUnknown: 'CURRENT_KEY_UNKNOWN',
  /** A key with that id is already in the file. */
  KeyIdTaken: 'KEY_ID_TAKEN',
  /** A new key file was to be created where one exists already: it is never overwritten. */
  KeyFileExists: 'KEY_FILE_EXISTS',
  /** Writing the key file failed (the previous file, if any, is unchanged). */
  KeyFileWriteFailed: 'KEY_FILE_WRITE_FAILED',
  /** The current key cannot be removed from the key file. */
  KeyInUse: 'KEY_IN_USE',
  /** The sealed value is not a sealed secret of a known version (too short, bad encoding). */
  SealedMalformed: 'SEALED_MALFORMED',
  /** The sealed value names a key id that the key ring does not hold. */
  UnknownKeyId: 'UNKNOWN_KEY_ID',
  /** Authentication failed: a wrong key, a wrong AAD, or a tampered IV, ciphertext or tag. */
  DecryptFailed: 'DECRYPT_FAILED',
  /** rotateAll stopped because fetchBatch or store threw; the report says how far it got. */
  RotationInterrupted: 'ROTATION_INTERRUPTED',
} as const;

export type SecretsErrorCode = (typeof SecretsErrorCode)[keyof typeof SecretsErrorCode];

export interface SecretsErrorDetails {
  /** The key file the error is about. */
  readonly path?: string;
  /** The key id the error is about (ids are not secret). */
  readonly keyId?: string;
  readonly cause?: unknown;
}

export class SecretsError extends Error {
  override readonly name: string = 'SecretsError';
  readonly code: SecretsErrorCode;
  readonly path: string | undefined;
  readonly keyId: string | undefined;

  constructor(code: SecretsErrorCode, message: string, details: SecretsErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.path = details.path;
    this.keyId = details.keyId;
  }
}

/** What a failure of the file system says, kept to the facts an operator needs (never content). */
export function fsCause(error: unknown): { code?: string; syscall?: string } {
  if (typeof error === 'object' && error !== null) {
    const { code, syscall } = error as { code?: unknown; syscall?: unknown };
    return {
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof syscall === 'string' ? { syscall } : {}),
    };
  }
  return {};
}
