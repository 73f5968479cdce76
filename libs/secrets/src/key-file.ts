// The key file on disk: read with its permissions checked, written atomically (a temporary
// file in the same directory, fsync, then rename or link), mode 0600.
import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SecretsError, fsCause } from './errors.js';
import { formatKeyFile, parseKeyFile, wipe } from './key-file-format.js';
import type { KeyFileContent } from './key-file-format.js';
import { KEY_BYTES, checkKeyId, createKeyRing } from './key-ring.js';
import type { KeyRing } from './key-ring.js';

export interface KeyFileReadOptions {
  /**
   * Accept a key file its group may read (mode 0640/0440), for processes sharing a group.
   * Default false: any group or world permission bit is refused. World access is always refused.
   */
  readonly allowGroupRead?: boolean;
}

export interface NewKeyOptions extends KeyFileReadOptions {
  /** The new key's id; default `k<n>`, one above the highest `k<n>` already in the file. */
  readonly id?: string;
}

export interface KeyFileChange {
  readonly path: string;
  /** The key added (or removed) by this change. */
  readonly keyId: string;
  /** The current key after the change. */
  readonly currentKeyId: string;
  readonly keyIds: readonly string[];
}

/** A key file larger than this is not a key file. */
const MAX_KEY_FILE_BYTES = 64 * 1024;
const OWNER_ONLY = 0o600;

/** Reads the key file, checking its permissions first. */
export async function loadKeyRing(
  path: string,
  options: KeyFileReadOptions = {},
): Promise<KeyRing> {
  const { content } = await readKeyFile(path, options);
  try {
    return createKeyRing({ current: content.current, keys: content.keys, source: path });
  } finally {
    wipe(content.keys);
  }
}

/** Creates a new key file holding one fresh key; never overwrites an existing file. */
export async function generateKeyFile(
  path: string,
  options: { readonly id?: string } = {},
): Promise<KeyFileChange> {
  const keyId = checkKeyId(options.id ?? 'k1', path);
  const keys = new Map([[keyId, randomBytes(KEY_BYTES)]]);
  try {
    await writeKeyFile(path, { current: keyId, keys }, { replace: false, mode: OWNER_ONLY });
  } finally {
    wipe(keys);
  }
  return { path, keyId, currentKeyId: keyId, keyIds: [keyId] };
}

/**
 * Adds a fresh key to the key file and makes it current; the old keys stay so that secrets
 * sealed under them still open. Run one `addKey` at a time per file (the last write wins).
 */
export async function addKey(path: string, options: NewKeyOptions = {}): Promise<KeyFileChange> {
  const { content, mode, owner } = await readKeyFile(path, options);
  try {
    const keyId = checkKeyId(options.id ?? nextKeyId(content.keys), path);
    if (content.keys.has(keyId)) {
      throw new SecretsError('KEY_ID_TAKEN', `key file ${path} already holds a key ${keyId}`, {
        path,
        keyId,
      });
    }
    content.keys.set(keyId, randomBytes(KEY_BYTES));
    const next = { current: keyId, keys: content.keys };
    await writeKeyFile(path, next, { replace: true, mode, owner });
    return { path, keyId, currentKeyId: keyId, keyIds: [...content.keys.keys()] };
  } finally {
    wipe(content.keys);
  }
}

/**
 * Removes a retired key from the key file, once no sealed secret uses it any more
 * (after `rotateAll` reports every row rotated). The current key cannot be removed.
 */
export async function removeKey(
  path: string,
  keyId: string,
  options: KeyFileReadOptions = {},
): Promise<KeyFileChange> {
  const { content, mode, owner } = await readKeyFile(path, options);
  try {
    if (keyId === content.current) {
      throw new SecretsError('KEY_IN_USE', `key ${keyId} is the current key of ${path}`, {
        path,
        keyId,
      });
    }
    const bytes = content.keys.get(keyId);
    if (bytes === undefined) {
      throw new SecretsError(
        'UNKNOWN_KEY_ID',
        `key file ${path} holds no key ${checkKeyId(keyId, path)}`,
        {
          path,
          keyId,
        },
      );
    }
    bytes.fill(0);
    content.keys.delete(keyId);
    await writeKeyFile(path, content, { replace: true, mode, owner });
    return { path, keyId, currentKeyId: content.current, keyIds: [...content.keys.keys()] };
  } finally {
    wipe(content.keys);
  }
}

interface ReadResult {
  readonly content: KeyFileContent;
  /** The permission bits to keep when the file is rewritten (0600, or 0640 with group read). */
  readonly mode: number;
  readonly owner: { readonly uid: number; readonly gid: number };
}

async function readKeyFile(path: string, options: KeyFileReadOptions): Promise<ReadResult> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const { code } = fsCause(error);
    if (code === 'ENOENT') {
      throw new SecretsError(
        'KEY_FILE_MISSING',
        `key file ${path} does not exist (create one with generateKeyFile / \`sipwake keys generate\`)`,
        { path, cause: fsCause(error) },
      );
    }
    throw new SecretsError(
      'KEY_FILE_UNREADABLE',
      `key file ${path} cannot be opened (${code ?? 'error'})`,
      {
        path,
        cause: fsCause(error),
      },
    );
  }
  try {
    // fstat on the open handle: the file checked is the file read.
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new SecretsError('KEY_FILE_UNREADABLE', `key file ${path} is not a regular file`, {
        path,
      });
    }
    const refused = options.allowGroupRead === true ? 0o037 : 0o077;
    if (process.platform !== 'win32' && (stat.mode & refused) !== 0) {
      const octal = (stat.mode & 0o777).toString(8).padStart(4, '0');
      const allowed = options.allowGroupRead === true ? '0600 or 0640' : '0600';
      throw new SecretsError(
        'KEY_FILE_PERMISSIONS',
        `key file ${path} has mode ${octal}: others may read it; make it ${allowed} (chmod ${allowed.slice(0, 4)} ${path})`,
        { path },
      );
    }
    if (stat.size > MAX_KEY_FILE_BYTES) {
      throw new SecretsError(
        'KEY_FILE_UNREADABLE',
        `key file ${path} is ${stat.size} bytes, more than a key file's ${MAX_KEY_FILE_BYTES}`,
        { path },
      );
    }
    const text = await handle.readFile('utf8').catch((error: unknown) => {
      throw new SecretsError('KEY_FILE_UNREADABLE', `key file ${path} cannot be read`, {
        path,
        cause: fsCause(error),
      });
    });
    return {
      content: parseKeyFile(text, path),
      mode: OWNER_ONLY | (stat.mode & 0o040 & ~refused),
      owner: { uid: stat.uid, gid: stat.gid },
    };
  } finally {
    await handle.close();
  }
}

interface WriteOptions {
  /** true: rename over the existing file; false: create, failing if the path exists. */
  readonly replace: boolean;
  readonly mode: number;
  /** Keep the previous file's owner (when run as root for a service user). */
  readonly owner?: { readonly uid: number; readonly gid: number };
}

async function writeKeyFile(path: string, content: KeyFileContent, options: WriteOptions) {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle;
  try {
    handle = await open(temporary, 'wx', options.mode);
  } catch (error) {
    throw writeFailed(path, error);
  }
  try {
    try {
      await handle.chmod(options.mode);
      if (options.owner !== undefined && process.getuid?.() === 0) {
        await handle.chown(options.owner.uid, options.owner.gid);
      }
      await handle.writeFile(formatKeyFile(content), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.replace) {
      await rename(temporary, path);
    } else {
      await link(temporary, path).catch((error: unknown) => {
        if (fsCause(error).code === 'EEXIST') {
          throw new SecretsError(
            'KEY_FILE_EXISTS',
            `key file ${path} exists already; it is not overwritten`,
            {
              path,
            },
          );
        }
        throw error;
      });
      await unlink(temporary);
    }
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error instanceof SecretsError ? error : writeFailed(path, error);
  }
  await syncDirectory(dirname(path));
}

/** Makes the rename durable; some file systems refuse to open a directory, which is no error. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => undefined);
  if (handle === undefined) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

function writeFailed(path: string, error: unknown): SecretsError {
  const { code } = fsCause(error);
  return new SecretsError(
    'KEY_FILE_WRITE_FAILED',
    `key file ${path} could not be written (${code ?? 'error'})`,
    {
      path,
      cause: fsCause(error),
    },
  );
}

function nextKeyId(keys: ReadonlyMap<string, unknown>): string {
  let highest = 0;
  for (const keyId of keys.keys()) {
    const match = /^k(\d{1,9})$/.exec(keyId);
    if (match !== null) highest = Math.max(highest, Number(match[1]));
  }
  return `k${highest + 1}`;
}
