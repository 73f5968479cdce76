// Waiting on the in-memory network without sleeping: deliveries run on microtasks and may
// trigger more (a response, then the ACK it causes), so a few rounds reach a quiet network.
import type { MemoryNetwork } from '../transport/memory.js';

const ROUNDS = 5;

/** Lets queued deliveries happen, and the promise callbacks and immediates they trigger. */
export async function settleNetwork(network: MemoryNetwork): Promise<void> {
  for (let i = 0; i < ROUNDS; i++) {
    await network.settle();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
