// SIPp's `-trace_stat` CSV (`;`-separated, a header line then one line per dump; the last line is
// the final state): the cumulative counters a test asserts on.

export interface SippStats {
  readonly totalCallsCreated: number;
  readonly successfulCalls: number;
  readonly failedCalls: number;
  readonly currentCalls: number;
  /** Retransmissions SIPp itself sent. */
  readonly retransmissions: number;
  readonly outOfCallMessages: number;
  readonly deadCallMessages: number;
  /** Non-zero cumulative `Failed…` counters by name (`FailedMaxUDPRetrans`: 1). */
  readonly failures: Readonly<Record<string, number>>;
  /** Every column of the last line, by header name. */
  readonly fields: Readonly<Record<string, string>>;
}

/** Parses the statistics file; undefined when it holds no data line. */
export function parseSippStats(csv: string, delimiter = ';'): SippStats | undefined {
  const lines = csv.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2) return undefined;
  const header = lines[0]!.split(delimiter);
  const values = lines.at(-1)!.split(delimiter);
  const fields: Record<string, string> = {};
  header.forEach((name, i) => {
    if (name.trim() !== '') fields[name.trim()] = (values[i] ?? '').trim();
  });
  const count = (name: string): number => {
    const value = Number(fields[name]);
    return Number.isFinite(value) ? value : 0;
  };
  const failures: Record<string, number> = {};
  for (const name of Object.keys(fields)) {
    const match = /^(Failed\w+)\(C\)$/.exec(name);
    if (match && match[1] !== 'FailedCall' && count(name) > 0) failures[match[1]!] = count(name);
  }
  return {
    totalCallsCreated: count('TotalCallCreated'),
    successfulCalls: count('SuccessfulCall(C)'),
    failedCalls: count('FailedCall(C)'),
    currentCalls: count('CurrentCall'),
    retransmissions: count('Retransmissions(C)'),
    outOfCallMessages: count('OutOfCallMsgs(C)'),
    deadCallMessages: count('DeadCallMsgs(C)'),
    failures,
    fields,
  };
}

/**
 * Parses the `-trace_counts` CSV: per scenario message, how often it was received, sent,
 * retransmitted, timed out or unexpected — `{ '0_INVITE_Recv': 1, '0_INVITE_Retrans': 2, … }`
 * (index in the scenario, message, counter), from the last line.
 */
export function parseSippCounts(csv: string, delimiter = ';'): Readonly<Record<string, number>> {
  const lines = csv.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2) return {};
  const header = lines[0]!.split(delimiter);
  const values = lines.at(-1)!.split(delimiter);
  const counts: Record<string, number> = {};
  header.forEach((name, i) => {
    const value = Number(values[i]);
    if (/^\d+_/.test(name) && Number.isFinite(value)) counts[name] = value;
  });
  return counts;
}
