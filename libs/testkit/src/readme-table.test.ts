import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { documentedCodes, readPackageReadme } from './readme-table.js';

const markdown = [
  '# @sipwake/example',
  '',
  '| Option     | Meaning      |',
  '| ---------- | ------------ |',
  '| `servers`  | lowercase    |',
  '| `OUTSIDE`  | before       |',
  '',
  '## Error codes',
  '',
  '| Code            | Retryable | Meaning             |',
  '| --------------- | --------- | ------------------- |',
  '| `TIMEOUT`       | yes       | no reply in time    |',
  '| `BAD_OPTIONS_2` | no        | a key out of range  |',
  '| plain           | no        | not backticked      |',
  '| `Mixed_Case`    | no        | not upper snake     |',
  '',
  '### Notes',
  '',
  '| `NESTED` | yes | a subsection belongs to its section |',
  '',
  '## Dependencies',
  '',
  '| `AFTER` | no | past the section |',
].join('\n');

describe('documentedCodes', () => {
  it('reads every row whose first cell is a backticked UPPER_SNAKE code, in order', () => {
    expect(documentedCodes(markdown)).toEqual([
      { code: 'OUTSIDE', columns: ['before'] },
      { code: 'TIMEOUT', columns: ['yes', 'no reply in time'] },
      { code: 'BAD_OPTIONS_2', columns: ['no', 'a key out of range'] },
      { code: 'NESTED', columns: ['yes', 'a subsection belongs to its section'] },
      { code: 'AFTER', columns: ['no', 'past the section'] },
    ]);
  });

  it('reads only the rows of a section, up to the next heading of its level', () => {
    expect(documentedCodes(markdown, { section: 'Error codes' }).map((row) => row.code)).toEqual([
      'TIMEOUT',
      'BAD_OPTIONS_2',
      'NESTED',
    ]);
    expect(documentedCodes(markdown, { section: 'Dependencies' })).toEqual([
      { code: 'AFTER', columns: ['no', 'past the section'] },
    ]);
  });

  it('refuses a section the README lacks', () => {
    expect(() => documentedCodes(markdown, { section: 'Errors' })).toThrow(
      'no heading "Errors" in the README',
    );
  });

  it('reads CRLF text and rows without a closing bar', () => {
    expect(documentedCodes('## E\r\n| `A_B` | yes\r\n')).toEqual([
      { code: 'A_B', columns: ['yes'] },
    ]);
  });
});

describe('readPackageReadme', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'readme-table-'));
    writeFileSync(path.join(root, 'package.json'), '{}');
    writeFileSync(path.join(root, 'README.md'), '# package');
    mkdirSync(path.join(root, 'src', 'dns'), { recursive: true });
    writeFileSync(path.join(root, 'src', 'dns', 'README.md'), '# dns');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds the package from the test file directory, whatever the working directory', () => {
    expect(readPackageReadme(path.join(root, 'src', 'dns'))).toBe('# package');
    expect(readPackageReadme(path.join(root, 'src', 'dns'), 'src/dns/README.md')).toBe('# dns');
    expect(readPackageReadme(root)).toBe('# package');
  });

  it('reads this package README from its own test directory', () => {
    expect(readPackageReadme(__dirname)).toMatch(/^# @sipwake\/testkit/);
  });
});
