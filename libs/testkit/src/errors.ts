// Typed errors of the testkit. Every error carries a stable `code` (the table in README.md,
// append-only, checked by errors.test.ts) and the evidence a failing test needs to explain itself.

export const TestkitErrorCode = {
  /** A wait (waitFor, withTimeout, a peer's readiness) ran out of time. */
  Timeout: 'TIMEOUT',
  /** A peer process did not come up (bad config, exited early, never answered). */
  PeerStartFailed: 'PEER_START_FAILED',
  /** A one-shot command against a peer (kamcmd, kamailio -c) failed. */
  PeerCommandFailed: 'PEER_COMMAND_FAILED',
  /** No port free for the asked protocols was found within the attempt bound. */
  NoFreePort: 'NO_FREE_PORT',
  /** A helper was given options it cannot honour. */
  BadOptions: 'BAD_OPTIONS',
} as const;

export type TestkitErrorCode = (typeof TestkitErrorCode)[keyof typeof TestkitErrorCode];

export class TestkitError extends Error {
  override name = 'TestkitError';
  constructor(
    readonly code: TestkitErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class WaitTimeoutError extends TestkitError {
  override name = 'WaitTimeoutError';
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    detail?: string,
  ) {
    super(
      TestkitErrorCode.Timeout,
      `timed out after ${timeoutMs} ms waiting for ${what}${detail ? `: ${detail}` : ''}`,
    );
  }
}

export class PeerStartError extends TestkitError {
  override name = 'PeerStartError';
  constructor(
    readonly peer: string,
    reason: string,
    /** The last lines of the peer's own log, to tell why. */
    readonly logTail: string,
    options?: { cause?: unknown },
  ) {
    super(
      TestkitErrorCode.PeerStartFailed,
      `${peer} did not start: ${reason}${logTail ? `\n--- ${peer} log (tail) ---\n${logTail}` : ''}`,
      options,
    );
  }
}

export class PeerCommandError extends TestkitError {
  override name = 'PeerCommandError';
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly output: string,
  ) {
    super(
      TestkitErrorCode.PeerCommandFailed,
      `${command} failed (exit ${exitCode ?? 'signal'})${output ? `:\n${output}` : ''}`,
    );
  }
}

export class NoFreePortError extends TestkitError {
  override name = 'NoFreePortError';
  constructor(
    readonly protocol: string,
    readonly host: string,
    readonly attempts: number,
  ) {
    super(
      TestkitErrorCode.NoFreePort,
      `no port free for ${protocol} on ${host} after ${attempts} attempts`,
    );
  }
}

export class BadOptionsError extends TestkitError {
  override name = 'BadOptionsError';
  constructor(
    readonly option: string,
    reason: string,
  ) {
    super(TestkitErrorCode.BadOptions, `bad option ${option}: ${reason}`);
  }
}
