// Sealing and opening secrets with AES-256-GCM. A sealed value describes itself:
//
//   offset 0        version (0x01)
//   offset 1        key id length L (1..32)
//   offset 2        key id, L ASCII bytes
//   offset 2+L      IV, 12 random bytes (NIST SP 800-38D §8.2.2: a fresh random 96-bit IV per
//                   message under one key; 2^32 messages per key keep the collision risk
//                   below the standard's bound)
//   offset 14+L     ciphertext, as long as the plaintext
//   last 16 bytes   GCM authentication tag (128 bits)
//
// The authenticated data is the header (version, L, key id) followed by the caller's AAD, so
// the header cannot be changed and a ciphertext opens only for the row it was sealed for.
// The compact string form is the same bytes in unpadded base64url.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SecretsError } from './errors.js';
import { checkKeyId, keyObjectOf } from './key-ring.js';
import type { KeyRing } from './key-ring.js';

/** A sealed secret: the bytes, or their compact string form (unpadded base64url). */
export type Sealed = Uint8Array | string;

export interface SealOptions {
  /**
   * Additional authenticated data binding the ciphertext to its place, e.g.
   * `instancePasswordAad(selector)`: the same AAD must be given to open it.
   */
  readonly aad: string | Uint8Array;
}

export const SEALED_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CIPHER = 'aes-256-gcm';

interface SealedParts {
  readonly header: Buffer;
  readonly keyId: string;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

/** Seals a secret under the ring's current key. */
export function sealSecret(
  ring: KeyRing,
  plaintext: string | Uint8Array,
  options: SealOptions,
): Buffer {
  const keyId = ring.currentKeyId;
  const key = keyObjectOf(ring, keyId);
  if (key === undefined) {
    throw new SecretsError('CURRENT_KEY_UNKNOWN', `the current key ${keyId} is not in the ring`, {
      keyId,
    });
  }
  const idBytes = Buffer.from(keyId, 'ascii');
  const header = Buffer.concat([Buffer.from([SEALED_VERSION, idBytes.length]), idBytes]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.concat([header, toBytes(options.aad)]));
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
  return Buffer.concat([header, iv, ciphertext, cipher.getAuthTag()]);
}

/** Opens a sealed secret sealed under any key of the ring, as UTF-8 text. */
export function openSecret(ring: KeyRing, sealed: Sealed, options: SealOptions): string {
  return openSecretBytes(ring, sealed, options).toString('utf8');
}

/** Opens a sealed secret sealed under any key of the ring, as bytes. */
export function openSecretBytes(ring: KeyRing, sealed: Sealed, options: SealOptions): Buffer {
  const parts = parseSealed(sealed);
  const key = keyObjectOf(ring, parts.keyId);
  if (key === undefined) {
    throw new SecretsError(
      'UNKNOWN_KEY_ID',
      `the secret is sealed under key ${parts.keyId}, which the key ring does not hold (it holds ${ring.keyIds.join(', ')})`,
      { keyId: parts.keyId, path: ring.source },
    );
  }
  const decipher = createDecipheriv(CIPHER, key, parts.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.concat([parts.header, toBytes(options.aad)]));
  decipher.setAuthTag(parts.tag);
  const head = decipher.update(parts.ciphertext);
  try {
    return Buffer.concat([head, decipher.final()]);
  } catch {
    head.fill(0);
    // The cipher's own error says nothing more; it is not kept.
    throw new SecretsError(
      'DECRYPT_FAILED',
      `the secret sealed under key ${parts.keyId} did not authenticate (wrong AAD, wrong key, or altered)`,
      { keyId: parts.keyId },
    );
  }
}

/** The id of the key a sealed secret was sealed under. */
export function keyIdOf(sealed: Sealed): string {
  return parseSealed(sealed).keyId;
}

/** Whether a sealed secret is under another key than the ring's current one. */
export function needsRotation(ring: KeyRing, sealed: Sealed): boolean {
  return keyIdOf(sealed) !== ring.currentKeyId;
}

/** The compact string form: unpadded base64url of the sealed bytes. */
export function sealedToString(sealed: Uint8Array): string {
  return Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength).toString('base64url');
}

/** The bytes of a compact string form; SEALED_MALFORMED when it is not base64url. */
export function sealedFromString(text: string): Buffer {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) {
    throw new SecretsError('SEALED_MALFORMED', 'the sealed secret is not unpadded base64url');
  }
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) {
    throw new SecretsError('SEALED_MALFORMED', 'the sealed secret is not canonical base64url');
  }
  return bytes;
}

function parseSealed(sealed: Sealed): SealedParts {
  const bytes =
    typeof sealed === 'string'
      ? sealedFromString(sealed)
      : Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (bytes.length < 2) {
    throw new SecretsError('SEALED_MALFORMED', `the sealed secret is ${bytes.length} bytes long`);
  }
  if (bytes[0] !== SEALED_VERSION) {
    throw new SecretsError(
      'SEALED_MALFORMED',
      `the sealed secret has version ${bytes[0]}, this library reads version ${SEALED_VERSION}`,
    );
  }
  const idLength = bytes[1]!;
  const ivAt = 2 + idLength;
  if (idLength === 0 || bytes.length < ivAt + IV_BYTES + TAG_BYTES) {
    throw new SecretsError(
      'SEALED_MALFORMED',
      `the sealed secret is too short (${bytes.length} bytes) for its header`,
    );
  }
  const keyId = checkSealedKeyId(bytes.subarray(2, ivAt));
  const tagAt = bytes.length - TAG_BYTES;
  return {
    header: bytes.subarray(0, ivAt),
    keyId,
    iv: bytes.subarray(ivAt, ivAt + IV_BYTES),
    ciphertext: bytes.subarray(ivAt + IV_BYTES, tagAt),
    tag: bytes.subarray(tagAt),
  };
}

function checkSealedKeyId(idBytes: Buffer): string {
  try {
    return checkKeyId(idBytes.toString('latin1'), undefined);
  } catch {
    throw new SecretsError('SEALED_MALFORMED', 'the sealed secret names a malformed key id');
  }
}

function toBytes(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

/**
 * The AAD of an instance's SIP password: binds the sealed password to the instance's selector,
 * so a password copied into another instance's row does not open.
 */
export function instancePasswordAad(selector: string): string {
  return `sipwake:instance-password:v1:${selector}`;
}
