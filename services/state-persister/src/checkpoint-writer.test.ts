import { newestPerSelector } from './checkpoint-writer.js';
import { rangesOf } from './load-query.js';
import { row } from './test-support/store.js';

const a = 'a'.repeat(40);
const b = 'b'.repeat(40);

describe('newestPerSelector', () => {
  it('keeps one row per selector, the highest version, wherever it stands', () => {
    const rows = newestPerSelector([row(a, 2), row(b, 1), row(a, 5), row(a, 3)]);
    expect(rows.map((r) => [r.selector, r.version])).toEqual([
      [a, 5],
      [b, 1],
    ]);
  });
});

describe('rangesOf', () => {
  it('gives each prefix its selector range, ordered by start', () => {
    expect(rangesOf(['c/2', '4/2', '0/0'])).toEqual([
      { from: '', to: undefined },
      { from: '4', to: '8' },
      { from: 'c', to: undefined },
    ]);
  });
});
