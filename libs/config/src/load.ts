// loadConfig: schema defaults, then the YAML file, then `SIPWAKE_*` variables (the last one wins);
// each value read as its schema type, the whole validated once and returned deep-frozen.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Static, TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';
import { coerceText, coerceYamlValue, describeExpected } from './coerce.js';
import { ConfigError } from './errors.js';
import { deepFreeze } from './freeze.js';
import { configLeaves, isObjectSchema, type ConfigLeaf } from './keys.js';

export type ConfigEnv = Readonly<Record<string, string | undefined>>;

export interface LoadConfigOptions {
  /** The environment (a service's main passes `process.env`; tests pass a plain object). */
  readonly env: ConfigEnv;
  /** The YAML file to read; without it, the file named by `<prefix>CONFIG_FILE`, if any. */
  readonly file?: string;
  /** The variable prefix; `SIPWAKE_` unless told. */
  readonly prefix?: string;
  /** What an unknown `<prefix>*` variable or YAML key does: `error` (the default) or `warn`. */
  readonly unknownKeys?: 'error' | 'warn';
  /** Receives the warnings (unknown keys under `unknownKeys: 'warn'`). */
  readonly onWarning?: (warning: ConfigError) => void;
}

export const defaultConfigPrefix = 'SIPWAKE_';

/** The variable naming the YAML file, for a prefix: `SIPWAKE_CONFIG_FILE`. */
export function configFileVariable(prefix: string = defaultConfigPrefix): string {
  return `${prefix}CONFIG_FILE`;
}

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function readYaml(file: string): Mapping {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError('CONFIG_FILE_UNREADABLE', file, `${file}: cannot be read`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (cause) {
    const where = (cause as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    const at = where === undefined ? '' : ` (line ${where})`;
    throw new ConfigError('CONFIG_FILE_INVALID', file, `${file}: not valid YAML${at}`, { cause });
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isMapping(parsed)) {
    throw new ConfigError('CONFIG_FILE_INVALID', file, `${file}: the top level must be a mapping`);
  }
  return parsed;
}

/** The YAML keys that name no leaf or section of the schema, as dotted paths. */
function unknownYamlKeys(schema: TObject, value: Mapping, path: string[] = []): string[] {
  const unknown: string[] = [];
  for (const [name, child] of Object.entries(value)) {
    const childSchema = schema.properties[name];
    const childPath = [...path, name];
    if (childSchema === undefined) unknown.push(childPath.join('.'));
    else if (isObjectSchema(childSchema) && isMapping(child)) {
      unknown.push(...unknownYamlKeys(childSchema, child, childPath));
    }
  }
  return unknown;
}

function valueAt(object: Mapping, path: readonly string[]): unknown {
  let node: unknown = object;
  for (const segment of path) node = isMapping(node) ? node[segment] : undefined;
  return node;
}

function setAt(object: Mapping, path: readonly string[], value: unknown): void {
  let node = object;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    node = isMapping(next) ? next : (node[segment] = {});
  }
  node[path[path.length - 1] as string] = value;
}

/** Empty sections for every nested object, so that their defaults are filled. */
function sections(schema: TObject): Mapping {
  const object: Mapping = {};
  for (const [name, child] of Object.entries(schema.properties)) {
    if (isObjectSchema(child)) object[name] = sections(child);
  }
  return object;
}

function reportUnknown(options: LoadConfigOptions, key: string, where: string): void {
  const error = new ConfigError('CONFIG_UNKNOWN_KEY', key, `${key}: not a setting ${where}`);
  if ((options.unknownKeys ?? 'error') === 'error') throw error;
  options.onWarning?.(error);
}

/** Loads, checks and freezes the configuration; throws a ConfigError naming the key at fault. */
export function loadConfig<S extends TObject>(
  schema: S,
  options: LoadConfigOptions,
): Readonly<Static<S>> {
  const prefix = options.prefix ?? defaultConfigPrefix;
  const fileVariable = configFileVariable(prefix);
  const leaves = configLeaves(schema, prefix);
  const file = options.file ?? (options.env[fileVariable] || undefined);
  const fileName = file === undefined ? '' : basename(file);
  const yaml = file === undefined ? {} : readYaml(file);

  const raw = sections(schema);
  const source = new Map<ConfigLeaf, string>();
  const fail = (where: string, expected: string): never => {
    throw new ConfigError('CONFIG_INVALID', where, `${where}: expected ${expected}`);
  };

  for (const key of unknownYamlKeys(schema, yaml))
    reportUnknown(options, `${fileName}: ${key}`, 'of this service');
  for (const leaf of leaves) {
    const value = valueAt(yaml, leaf.path);
    if (value === undefined || value === null) continue;
    const where = `${fileName}: ${leaf.key}`;
    const coerced = coerceYamlValue(leaf.schema, value, leaf.path[leaf.path.length - 1] as string);
    if (!coerced.ok) fail(where, coerced.expected);
    else setAt(raw, leaf.path, coerced.value);
    source.set(leaf, where);
  }

  const byEnvName = new Map(leaves.map((leaf) => [leaf.envName, leaf]));
  for (const [name, text] of Object.entries(options.env)) {
    if (!name.startsWith(prefix) || name === fileVariable || text === undefined) continue;
    const leaf = byEnvName.get(name);
    if (leaf === undefined) {
      reportUnknown(options, name, 'of this service (see its README table)');
      continue;
    }
    if (text === '') continue;
    const coerced = coerceText(leaf.schema, text, leaf.path[leaf.path.length - 1] as string);
    if (!coerced.ok) fail(name, coerced.expected);
    else setAt(raw, leaf.path, coerced.value);
    source.set(leaf, name);
  }

  const config = Value.Default(schema, raw);
  const first = Value.Errors(schema, config).First();
  if (first !== undefined) {
    const path = first.path.split('/').filter((s) => s !== '');
    const leaf =
      leaves.find((l) => l.path.every((segment, i) => path[i] === segment)) ??
      leaves.find((l) => path.every((segment, i) => l.path[i] === segment));
    if (leaf === undefined)
      throw new ConfigError('CONFIG_INVALID', first.path, `${first.path}: ${first.message}`);
    const where = source.get(leaf) ?? leaf.envName;
    const missing = valueAt(config as Mapping, leaf.path) === undefined;
    const detail = missing
      ? `required, ${describeExpected(leaf.schema, /Ms$/.test(leaf.key))}`
      : first.message.replace(/^Expected/, 'expected');
    throw new ConfigError('CONFIG_INVALID', where, `${where}: ${detail}`);
  }
  return deepFreeze(config as Static<S>);
}
