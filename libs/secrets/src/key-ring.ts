// A key ring: the named 256-bit keys that may open a sealed secret, and the one that seals.
// The key material lives in a module-private WeakMap as KeyObjects, never as a property of
// the ring, so neither inspect, JSON.stringify nor a stray log line can print it.
import { createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { SecretsError } from './errors.js';

/** AES-256: every key is 32 bytes. */
export const KEY_BYTES = 32;

/** A key id: 1 to 32 characters, letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

export interface KeyRingSummary {
  readonly currentKeyId: string;
  readonly keyIds: readonly string[];
  readonly source: string | undefined;
}

export interface KeyRing {
  /** The key that seals new secrets. */
  readonly currentKeyId: string;
  /** Every key id the ring can open, in file order. */
  readonly keyIds: readonly string[];
  /** Where the keys came from (the key file's path), for messages. */
  readonly source: string | undefined;
  hasKey(keyId: string): boolean;
  /** Ids only: a ring never serializes its keys. */
  toJSON(): KeyRingSummary;
}

export interface CreateKeyRingOptions {
  readonly current: string;
  /** Key id → 32 key bytes. The bytes are copied; the caller may wipe its buffers afterwards. */
  readonly keys: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>;
  /** Where the keys came from, named in error messages (a path). */
  readonly source?: string;
}

const material = new WeakMap<KeyRing, ReadonlyMap<string, KeyObject>>();

class MemoryKeyRing implements KeyRing {
  readonly currentKeyId: string;
  readonly keyIds: readonly string[];
  readonly source: string | undefined;

  constructor(current: string, keyIds: readonly string[], source: string | undefined) {
    this.currentKeyId = current;
    this.keyIds = Object.freeze([...keyIds]);
    this.source = source;
    Object.freeze(this);
  }

  hasKey(keyId: string): boolean {
    return this.keyIds.includes(keyId);
  }

  toJSON(): KeyRingSummary {
    return { currentKeyId: this.currentKeyId, keyIds: this.keyIds, source: this.source };
  }

  [inspect.custom](): string {
    const from = this.source === undefined ? '' : ` from ${this.source}`;
    return `KeyRing { current: ${this.currentKeyId}, keys: [${this.keyIds.join(', ')}]${from} }`;
  }

  toString(): string {
    return this[inspect.custom]();
  }
}

/** `key file /etc/sipwake/keys.json` or `key ring`: how messages name where keys came from. */
export function describeSource(source: string | undefined): string {
  return source === undefined ? 'key ring' : `key file ${source}`;
}

/** Checks a key id's form; the message shows the id only when it has the documented form. */
export function checkKeyId(keyId: unknown, source: string | undefined): string {
  if (typeof keyId !== 'string' || !KEY_ID_PATTERN.test(keyId)) {
    throw new SecretsError(
      'KEY_INVALID',
      `${describeSource(source)}: a key id is not 1-32 letters, digits, '.', '_' or '-'`,
      { path: source },
    );
  }
  return keyId;
}

export function createKeyRing(options: CreateKeyRingOptions): KeyRing {
  const entries =
    options.keys instanceof Map
      ? [...(options.keys as ReadonlyMap<string, Uint8Array>).entries()]
      : Object.entries(options.keys as Readonly<Record<string, Uint8Array>>);
  const keys = new Map<string, KeyObject>();
  for (const [keyId, bytes] of entries) {
    checkKeyId(keyId, options.source);
    if (!(bytes instanceof Uint8Array) || bytes.length !== KEY_BYTES) {
      const got = bytes instanceof Uint8Array ? `${bytes.length} bytes` : 'not bytes';
      throw new SecretsError(
        'KEY_INVALID',
        `${describeSource(options.source)}: key ${keyId} is not ${KEY_BYTES} bytes (${got})`,
        { path: options.source, keyId },
      );
    }
    keys.set(keyId, createSecretKey(Buffer.from(bytes)));
  }
  if (!keys.has(options.current)) {
    const known = keys.size === 0 ? 'it holds no keys' : `it holds ${[...keys.keys()].join(', ')}`;
    throw new SecretsError(
      'CURRENT_KEY_UNKNOWN',
      `${describeSource(options.source)}: the current key ${safeKeyId(options.current)} is not in it (${known})`,
      { path: options.source },
    );
  }
  const ring = new MemoryKeyRing(options.current, [...keys.keys()], options.source);
  material.set(ring, keys);
  return ring;
}

/** The key with this id, for sealing and opening inside this package; never exported. */
export function keyObjectOf(ring: KeyRing, keyId: string): KeyObject | undefined {
  const keys = material.get(ring);
  if (keys === undefined) {
    throw new TypeError('not a KeyRing made by createKeyRing or loadKeyRing');
  }
  return keys.get(keyId);
}

/** The id itself when it has the documented form, else a placeholder (never arbitrary text). */
export function safeKeyId(keyId: unknown): string {
  return typeof keyId === 'string' && KEY_ID_PATTERN.test(keyId) ? keyId : '(malformed id)';
}
