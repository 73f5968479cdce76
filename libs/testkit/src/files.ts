// Files a peer lives in: its own temp dir (removed on stop), logs whose tail explains a failure,
// and table files replaced by atomic rename so a reader never sees half a file.
import { mkdtemp, open, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh directory under the OS temp dir, named `sipwake-<peer>-XXXXXX`. */
export function makeTempDir(peer: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `sipwake-${peer}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** The last `maxLines` lines of a text file (at most `maxBytes` read); '' when it does not exist. */
export async function readTail(file: string, maxLines = 40, maxBytes = 16384): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-maxLines).join('\n');
  } finally {
    await handle.close();
  }
}

/**
 * Writes `content` to `file` by rename of a sibling temp file. When `newerThanS` is given the
 * file's mtime is set to a whole second strictly after it (readers that poll mtime with 1 s
 * resolution, like Kamailio's db_text, see every rewrite); returns the mtime set, in seconds.
 */
export async function writeFileAtomic(
  file: string,
  content: string,
  newerThanS?: number,
): Promise<number> {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, content, { mode: 0o600 });
  let mtimeS = Math.floor((await stat(temp)).mtimeMs / 1000);
  if (newerThanS !== undefined && mtimeS <= newerThanS) {
    mtimeS = newerThanS + 1;
    await utimes(temp, mtimeS, mtimeS);
  }
  await rename(temp, file);
  return mtimeS;
}
