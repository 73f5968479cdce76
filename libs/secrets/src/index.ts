// @sipwake/secrets: SIP passwords sealed at rest with AES-256-GCM under a shared key file,
// with key ids for rotation without downtime.
export { SecretsError, SecretsErrorCode } from './errors.js';
export type { SecretsErrorDetails } from './errors.js';
export { KEY_BYTES, KEY_ID_PATTERN, createKeyRing } from './key-ring.js';
export type { CreateKeyRingOptions, KeyRing, KeyRingSummary } from './key-ring.js';
export { KEY_FILE_VERSION } from './key-file-format.js';
export { addKey, generateKeyFile, loadKeyRing, removeKey } from './key-file.js';
export type { KeyFileChange, KeyFileReadOptions, NewKeyOptions } from './key-file.js';
export {
  SEALED_VERSION,
  instancePasswordAad,
  keyIdOf,
  needsRotation,
  openSecret,
  openSecretBytes,
  sealSecret,
  sealedFromString,
  sealedToString,
} from './sealed.js';
export type { SealOptions, Sealed } from './sealed.js';
export { RotationError, rotateAll, rotateSealed } from './rotate.js';
export type {
  ResealedRow,
  RotateAllOptions,
  RotateReport,
  RotationFailure,
  RowId,
  SealedRow,
} from './rotate.js';
