// The error-code table a package's README publishes, read back so a test can hold it and the
// code in step. Paths come from the caller (`__dirname` of the test file), never from the working
// directory, so a test reads the same file whether jest runs in the package or at the root.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One documented row: its backticked code and the text of the cells after it, trimmed. */
export interface DocumentedCode {
  readonly code: string;
  readonly columns: readonly string[];
}

export interface DocumentedCodesOptions {
  /** Read only the rows under the heading with this text (any level), up to the next heading of the same or a higher level. */
  readonly section?: string;
}

/**
 * The text of a README of the package holding `testFileDir`: the package is the nearest
 * directory at or above `testFileDir` with a package.json, and `readmeRelativePath` is relative
 * to it (`'src/dns/README.md'` for a folder's own README).
 */
export function readPackageReadme(testFileDir: string, readmeRelativePath = 'README.md'): string {
  const start = path.resolve(testFileDir);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) {
      return readFileSync(path.join(dir, readmeRelativePath), 'utf8');
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no package.json at or above ${start}`);
    }
  }
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const CODE_CELL = /^`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)`$/;

/**
 * The table rows of `markdown` whose first cell is a backticked UPPER_SNAKE code, in document
 * order. With `section`, only the rows under that heading; a missing heading is an error, so a
 * renamed section cannot turn the comparison into one against nothing.
 */
export function documentedCodes(
  markdown: string,
  options: DocumentedCodesOptions = {},
): DocumentedCode[] {
  const lines = markdown.split(/\r?\n/);
  let from = 0;
  let to = lines.length;
  if (options.section !== undefined) {
    const start = lines.findIndex((line) => HEADING.exec(line)?.[2] === options.section);
    if (start < 0) throw new Error(`no heading "${options.section}" in the README`);
    const level = HEADING.exec(lines[start]!)![1]!.length;
    const end = lines.findIndex(
      (line, i) => i > start && (HEADING.exec(line)?.[1]?.length ?? Infinity) <= level,
    );
    from = start + 1;
    to = end < 0 ? lines.length : end;
  }
  const rows: DocumentedCode[] = [];
  for (const line of lines.slice(from, to)) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('|')) continue;
    const cells = trimmed
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((cell) => cell.trim());
    const code = CODE_CELL.exec(cells[0] ?? '')?.[1];
    if (code !== undefined) rows.push({ code, columns: cells.slice(1) });
  }
  return rows;
}
