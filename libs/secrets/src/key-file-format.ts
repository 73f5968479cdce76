// The key file's text: a small JSON document.
//
//   { "version": 1, "current": "k2", "keys": { "k1": "<base64, 32 bytes>", "k2": "<…>" } }
//
// Parsing never quotes the text back (JSON.parse's own message would show a piece of it, maybe
// of a key), so errors name the file and the problem only.
import { SecretsError } from './errors.js';
import { KEY_BYTES, checkKeyId, describeSource, safeKeyId } from './key-ring.js';

export const KEY_FILE_VERSION = 1;

/** The parsed key file: key bytes by id in file order, and the current id. */
export interface KeyFileContent {
  readonly current: string;
  readonly keys: Map<string, Buffer>;
}

const BASE64_KEY = /^[A-Za-z0-9+/]{43}=$/;

export function parseKeyFile(text: string, path: string | undefined): KeyFileContent {
  const where = describeSource(path);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new SecretsError('KEY_FILE_INVALID', `${where} is not valid JSON`, { path });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new SecretsError('KEY_FILE_INVALID', `${where} is not a JSON object`, { path });
  }
  const { version, current, keys } = document as Record<string, unknown>;
  if (version !== KEY_FILE_VERSION) {
    throw new SecretsError('KEY_FILE_INVALID', `${where}: "version" must be ${KEY_FILE_VERSION}`, {
      path,
    });
  }
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) {
    throw new SecretsError('KEY_FILE_INVALID', `${where}: "keys" must be an object of id → key`, {
      path,
    });
  }
  if (Object.keys(keys).length === 0) {
    throw new SecretsError('KEY_FILE_INVALID', `${where}: "keys" holds no keys`, { path });
  }
  if (typeof current !== 'string') {
    throw new SecretsError('KEY_FILE_INVALID', `${where}: "current" must be a key id`, { path });
  }
  const parsed = new Map<string, Buffer>();
  try {
    for (const [keyId, encoded] of Object.entries(keys as Record<string, unknown>)) {
      checkKeyId(keyId, path);
      parsed.set(keyId, decodeKey(keyId, encoded, path));
    }
  } catch (error) {
    wipe(parsed);
    throw error;
  }
  if (!parsed.has(current)) {
    wipe(parsed);
    throw new SecretsError(
      'CURRENT_KEY_UNKNOWN',
      `${where}: the current key ${safeKeyId(current)} is not among its keys (${[...parsed.keys()].join(', ')})`,
      { path },
    );
  }
  return { current, keys: parsed };
}

export function formatKeyFile(content: KeyFileContent): string {
  const keys: Record<string, string> = {};
  for (const [keyId, bytes] of content.keys) keys[keyId] = bytes.toString('base64');
  return `${JSON.stringify({ version: KEY_FILE_VERSION, current: content.current, keys }, null, 2)}\n`;
}

/** Overwrites the key bytes held in memory once they are no longer needed. */
export function wipe(keys: Map<string, Buffer>): void {
  for (const bytes of keys.values()) bytes.fill(0);
}

function decodeKey(keyId: string, encoded: unknown, path: string | undefined): Buffer {
  const where = describeSource(path);
  if (typeof encoded !== 'string' || !BASE64_KEY.test(encoded)) {
    const what =
      typeof encoded === 'string'
        ? `${encoded.length} characters, not the 44 of base64 for ${KEY_BYTES} bytes`
        : `a ${encoded === null ? 'null' : typeof encoded}, not a base64 string`;
    throw new SecretsError('KEY_INVALID', `${where}: key ${keyId} is ${what}`, { path, keyId });
  }
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length !== KEY_BYTES || bytes.toString('base64') !== encoded) {
    bytes.fill(0);
    throw new SecretsError('KEY_INVALID', `${where}: key ${keyId} is not canonical base64`, {
      path,
      keyId,
    });
  }
  return bytes;
}
