// The configuration's errors: one class, a stable code per failure, the offending key as a field.
// The table below is append-only: a code, once published, keeps its meaning. A message names the
// variable (or the YAML path) and what was expected; it never repeats the value, which may be a
// secret.

export const ConfigErrorCode = {
  /** A value is missing, cannot be read as its type, or fails the schema. */
  Invalid: 'CONFIG_INVALID',
  /** A `SIPWAKE_*` variable or a YAML key that the schema does not know (a typo, a removed key). */
  UnknownKey: 'CONFIG_UNKNOWN_KEY',
  /** The YAML file named by `SIPWAKE_CONFIG_FILE` (or `file`) cannot be read. */
  FileUnreadable: 'CONFIG_FILE_UNREADABLE',
  /** The YAML file is not YAML, or its top level is not a mapping. */
  FileInvalid: 'CONFIG_FILE_INVALID',
  /** The schema itself cannot be loaded: two keys share a variable name, or a leaf type is unsupported. */
  SchemaInvalid: 'CONFIG_SCHEMA_INVALID',
} as const;

export type ConfigErrorCode = (typeof ConfigErrorCode)[keyof typeof ConfigErrorCode];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigErrorCode;
  /** The variable (`SIPWAKE_BUS_URL`) or the YAML path (`sipwake.yaml: bus.url`) at fault. */
  readonly key: string;

  constructor(
    code: ConfigErrorCode,
    key: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.key = key;
  }
}
