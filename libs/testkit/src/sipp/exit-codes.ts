// SIPp's exit codes (sipp(1), "Exit codes"; -1 and -2 arrive as 255 and 254).

export const SippExit = {
  /** All calls were successful. */
  AllCallsSucceeded: 0,
  /** At least one call failed. */
  SomeCallsFailed: 1,
  /** Exit on internal command (`stop_now`); calls may have been processed. */
  InternalCommand: 97,
  /** Normal exit without calls processed. */
  NoCallsProcessed: 99,
  /** Fatal error, and the global `-timeout` when `-timeout_error` is set. */
  FatalErrorOrTimeout: 255,
  /** Fatal error binding a socket. */
  BindError: 254,
} as const;

export type SippExit = (typeof SippExit)[keyof typeof SippExit];

export function describeSippExit(code: number | null): string {
  switch (code) {
    case SippExit.AllCallsSucceeded:
      return '0: all calls were successful';
    case SippExit.SomeCallsFailed:
      return '1: at least one call failed';
    case SippExit.InternalCommand:
      return '97: exit on internal command';
    case SippExit.NoCallsProcessed:
      return '99: normal exit without calls processed';
    case SippExit.FatalErrorOrTimeout:
      return '255: fatal error or global timeout';
    case SippExit.BindError:
      return '254: fatal error binding a socket';
    case null:
      return 'killed by a signal';
    default:
      return `${code}: unknown exit code`;
  }
}
