import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TestkitErrorCode } from './errors.js';

/** libs/testkit/README.md, found by walking up from the working directory. */
function readme(): string {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    for (const candidate of [
      path.join(dir, 'README.md'),
      path.join(dir, 'libs/testkit/README.md'),
    ]) {
      if (
        existsSync(candidate) &&
        readFileSync(candidate, 'utf8').startsWith('# @sipwake/testkit')
      ) {
        return readFileSync(candidate, 'utf8');
      }
    }
    if (path.dirname(dir) === dir) throw new Error('libs/testkit/README.md not found');
  }
}

describe('error codes', () => {
  it('are the documented table, in order', () => {
    const section = readme().split('## Error codes')[1] ?? '';
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` +\|/gm)].map((m) => m[1]);
    expect(documented).toEqual(Object.values(TestkitErrorCode));
  });
});
