// The command line's errors: a bad configuration value names its key, a bad command says so.

export const CliErrorCode = {
  /** An environment variable or option has a value that does not parse. */
  BadConfig: 'BAD_CONFIG',
  /** An unknown command or missing argument. */
  Usage: 'USAGE',
  /** A command refused to act because it would be unsafe (e.g. removing a key rows still use). */
  Refused: 'REFUSED',
} as const;
export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];

export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: CliErrorCode;
  /** The configuration key at fault, for BAD_CONFIG. */
  readonly key: string | undefined;

  constructor(code: CliErrorCode, message: string, key?: string) {
    super(message);
    this.code = code;
    this.key = key;
  }
}
