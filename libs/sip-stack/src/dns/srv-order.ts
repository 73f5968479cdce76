// RFC 2782 target selection: the order in which to try the records of one SRV answer.
import type { SrvRecord } from './types.js';

/** A random number in [0, 1), like Math.random; injected so tests can seed it. */
export type RandomSource = () => number;

/**
 * RFC 2782: 'A Target of "." means that the service is decidedly not available at this domain.'
 * Node reports the root name as '' and some resolvers as '.'.
 */
export function isUnavailableTarget(record: SrvRecord): boolean {
  return record.name === '' || record.name === '.';
}

/**
 * Orders SRV records for trying: lowest priority first; within one priority a weighted random
 * draw without replacement. Records whose target is "." are left out.
 *
 * RFC 2782: "arrange all SRV RRs (that have not been ordered yet) in any order, except that all
 * those with weight 0 are placed at the beginning of the list. Compute the sum of the weights of
 * those RRs, and with each RR associate the running sum in the selected order. Then choose a
 * uniform random number between 0 and the sum computed (inclusive), and select the RR whose
 * running sum value is the first in the selected order which is greater than or equal to the
 * random number selected." Weight 0 records thus get a small chance while heavier ones remain;
 * when every remaining weight is 0 the draw is uniform.
 */
export function orderSrvRecords(records: readonly SrvRecord[], random: RandomSource): SrvRecord[] {
  const byPriority = new Map<number, SrvRecord[]>();
  for (const record of records) {
    if (isUnavailableTarget(record)) continue;
    const group = byPriority.get(record.priority);
    if (group) group.push(record);
    else byPriority.set(record.priority, [record]);
  }
  const ordered: SrvRecord[] = [];
  for (const priority of [...byPriority.keys()].sort((a, b) => a - b)) {
    const group = byPriority.get(priority) ?? [];
    // Zero weights first, the others in their answer order.
    const remaining = [
      ...group.filter((r) => r.weight === 0),
      ...group.filter((r) => r.weight > 0),
    ];
    while (remaining.length > 0) {
      const index = pickWeighted(remaining, random);
      ordered.push(remaining[index] as SrvRecord);
      remaining.splice(index, 1);
    }
  }
  return ordered;
}

function pickWeighted(remaining: readonly SrvRecord[], random: RandomSource): number {
  const sum = remaining.reduce((total, r) => total + r.weight, 0);
  if (sum === 0) return Math.min(remaining.length - 1, Math.floor(random() * remaining.length));
  const draw = Math.min(sum, Math.floor(random() * (sum + 1))); // uniform integer in [0, sum]
  let running = 0;
  for (let i = 0; i < remaining.length; i++) {
    running += (remaining[i] as SrvRecord).weight;
    if (running >= draw) return i;
  }
  return remaining.length - 1;
}
