// describeConfig: the rows of a service's README table, generated from its schema, so that the
// documentation and the code cannot drift apart (a test compares them).
import type { TObject } from '@sinclair/typebox';
import { configLeaves } from './keys.js';
import { configFileVariable, defaultConfigPrefix } from './load.js';

export interface ConfigRow {
  /** The environment variable: `SIPWAKE_LOG_LEVEL`. */
  readonly name: string;
  /** The YAML key: `log.level`. */
  readonly key: string;
  /** The default as written in the environment (`30000`, `a,b`, `true`); `''` when required or unset. */
  readonly default: string;
  /** Whether start-up fails without it. */
  readonly required: boolean;
  /** The schema's `description`. */
  readonly meaning: string;
}

function asText(value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map(asText).join(',');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One row per setting, in schema order. */
export function describeConfig(
  schema: TObject,
  prefix: string = defaultConfigPrefix,
): readonly ConfigRow[] {
  return configLeaves(schema, prefix).map((leaf) => {
    const fallback: unknown = leaf.schema['default'];
    return {
      name: leaf.envName,
      key: leaf.key,
      default: asText(fallback),
      required: !leaf.optional && fallback === undefined,
      meaning: typeof leaf.schema.description === 'string' ? leaf.schema.description : '',
    };
  });
}

/** The Markdown table for a README: name, default, meaning; the config file variable first. */
export function formatConfigTable(schema: TObject, prefix: string = defaultConfigPrefix): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const lines = ['| name | default | meaning |', '| --- | --- | --- |'];
  lines.push(
    `| \`${configFileVariable(prefix)}\` | | a YAML file with the same keys (\`log.level\`); variables override it |`,
  );
  for (const row of describeConfig(schema, prefix)) {
    const fallback = row.required
      ? '(required)'
      : row.default === ''
        ? ''
        : `\`${cell(row.default)}\``;
    lines.push(`| \`${row.name}\` | ${fallback} | ${cell(row.meaning)} |`);
  }
  return lines.join('\n');
}

/** The cells of each row of the Markdown tables in `markdown` whose first cell is a `prefix*` variable. */
function documentedRows(markdown: string, prefix: string): Map<string, readonly string[]> {
  const rows = new Map<string, readonly string[]>();
  for (const line of markdown.split('\n')) {
    const cells = line
      .trim()
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim().replace(/\\\|/g, '|'));
    const name = cells[0]?.replace(/`/g, '');
    if (name !== undefined && name.startsWith(prefix) && cells.length >= 3) rows.set(name, cells);
  }
  return rows;
}

/**
 * How a README's configuration table differs from the schema: one line per missing, extra or
 * different row; empty when they agree. Compares cells, so Prettier's column padding is ignored.
 */
export function configTableDifferences(
  markdown: string,
  schema: TObject,
  prefix: string = defaultConfigPrefix,
): string[] {
  const documented = documentedRows(markdown, prefix);
  const expected = documentedRows(formatConfigTable(schema, prefix), prefix);
  const differences: string[] = [];
  for (const [name, cells] of expected) {
    const actual = documented.get(name);
    if (actual === undefined) differences.push(`${name}: missing from the table`);
    else if (actual.slice(0, 3).join(' | ') !== cells.slice(0, 3).join(' | ')) {
      differences.push(
        `${name}: the table says "${actual.slice(0, 3).join(' | ')}", the schema "${cells.slice(0, 3).join(' | ')}"`,
      );
    }
  }
  for (const name of documented.keys()) {
    if (!expected.has(name)) differences.push(`${name}: in the table, not in the schema`);
  }
  return differences;
}
