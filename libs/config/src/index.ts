// @sipwake/config: SIPWAKE_* variables and an optional YAML file, read once in a service's main,
// checked against its TypeBox schema and returned frozen.
export { loadConfig, configFileVariable, defaultConfigPrefix } from './load.js';
export type { LoadConfigOptions, ConfigEnv } from './load.js';
export { describeConfig, formatConfigTable, configTableDifferences } from './describe.js';
export type { ConfigRow } from './describe.js';
export { ConfigError, ConfigErrorCode } from './errors.js';
export { toEnvSegment } from './keys.js';
