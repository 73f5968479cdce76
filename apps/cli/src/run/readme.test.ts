// The repository README's configuration table is the process's settings schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configTableDifferences } from '@sipwake/config';
import { runConfigSchema } from './run-config.js';

it("keeps the repository README's configuration table equal to the process settings", () => {
  const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
  expect(configTableDifferences(readme, runConfigSchema)).toEqual([]);
});
