// The runtime's errors. Codes are an append-only table (README.md).

export const RuntimeErrorCode = {
  StartFailed: 'START_FAILED',
  StopFailed: 'STOP_FAILED',
} as const;
export type RuntimeErrorCode = (typeof RuntimeErrorCode)[keyof typeof RuntimeErrorCode];

export class StartError extends Error {
  override readonly name = 'StartError';
  readonly code = RuntimeErrorCode.StartFailed;
  constructor(
    readonly service: string,
    cause: unknown,
  ) {
    super(`${service} did not start: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}

export class StopError extends Error {
  override readonly name = 'StopError';
  readonly code = RuntimeErrorCode.StopFailed;
  constructor(readonly failures: readonly { readonly name: string; readonly error: unknown }[]) {
    super(`did not stop cleanly: ${failures.map((f) => f.name).join(', ')}`);
  }
}
