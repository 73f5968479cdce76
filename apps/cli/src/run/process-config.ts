// One process, several schemas: the shared run settings and each started service's own. They
// read one environment (and one YAML file), so a variable must mean the same wherever two
// schemas name it, and a SIPWAKE_* variable that no schema of the process knows stops start-up.
import type { Static, TObject } from '@sinclair/typebox';
import {
  ConfigError,
  configFileVariable,
  defaultConfigPrefix,
  describeConfig,
  loadConfig,
  type ConfigEnv,
} from '@sipwake/config';

/** The variables each schema reads; throws when two schemas give one variable two meanings. */
export function knownVariables(schemas: readonly TObject[]): ReadonlySet<string> {
  const meaning = new Map<string, string>();
  for (const schema of schemas) {
    for (const row of describeConfig(schema)) {
      const before = meaning.get(row.name);
      const now = `${row.key} (${row.default}): ${row.meaning}`;
      if (before !== undefined && before !== now) {
        throw new ConfigError(
          'CONFIG_SCHEMA_INVALID',
          row.name,
          `${row.name}: read as "${before}" and as "${now}"`,
        );
      }
      meaning.set(row.name, now);
    }
  }
  return new Set(meaning.keys());
}

/** Refuses a SIPWAKE_* variable that none of the process's schemas reads. */
export function checkUnknownVariables(env: ConfigEnv, known: ReadonlySet<string>): void {
  const file = configFileVariable();
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith(defaultConfigPrefix) || name === file || known.has(name)) continue;
    if (env[name] === undefined) continue;
    throw new ConfigError('CONFIG_UNKNOWN_KEY', name, `${name}: not a sipwake setting`);
  }
}

/** Loads one schema of the process; the others' variables are not errors here. */
export function loadSectionConfig<S extends TObject>(schema: S, env: ConfigEnv): Static<S> {
  return loadConfig(schema, { env, unknownKeys: 'warn', onWarning: () => undefined });
}
