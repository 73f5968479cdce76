// Access to the shared RFC 4475 / RFC 5118 torture corpus (../shared/sip-torture beside the
// repository root), found by walking up from the working directory.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface TortureEntry {
  readonly file: string;
  readonly title: string;
  readonly rfc_described: boolean;
  readonly valid: boolean;
  readonly expect: 'accept' | 'reject' | 'reject-or-tolerate';
  readonly layer: 'syntax' | 'framing' | 'message' | 'transaction' | 'application';
  readonly element_response: string | null;
  readonly kind: 'request' | 'response';
  readonly method?: string | null;
  readonly status?: number | null;
  readonly reason_phrase?: string | null;
  readonly call_id: string | string[] | null;
  readonly cseq: string | string[] | null;
  readonly header_fields: number;
  readonly via_count: number;
  readonly content_length: number | number[] | null;
  readonly octets_after_header_section: number;
  readonly header_section_terminated: boolean;
  readonly values: Readonly<Record<string, unknown>>;
  readonly notes: string;
}

export function findTortureDir(from: string = process.cwd()): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, '..', 'shared', 'sip-torture');
    if (existsSync(join(candidate, 'manifest.json'))) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no ../shared/sip-torture above ${from}`);
    dir = up;
  }
}

export function loadTorture(): { dir: string; entries: readonly TortureEntry[] } {
  const dir = findTortureDir();
  const entries = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as TortureEntry[];
  return { dir, entries };
}

export function readTortureFile(dir: string, entry: TortureEntry): Buffer {
  return readFileSync(join(dir, entry.file));
}
