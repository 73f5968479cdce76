// Back-off after failed REGISTERs: doubling from the minimum up to the maximum, with jitter so
// that instances which failed together (a registrar restart) do not retry together.

export interface BackoffOptions {
  readonly minMs: number;
  readonly maxMs: number;
  /** 0 ≤ random() < 1; default Math.random. */
  readonly random?: () => number;
}

/**
 * The wait before attempt `failures + 1` (failures ≥ 1): the capped doubling
 * `min(maxMs, minMs·2^(failures−1))`, jittered to between half of it and all of it.
 */
export function backoffMs(failures: number, options: BackoffOptions): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const ceiling = Math.min(options.maxMs, options.minMs * 2 ** exponent);
  const random = options.random ?? Math.random;
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
