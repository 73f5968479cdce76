// Two SIP endpoints on an in-memory network, each with a transaction layer on one manual clock:
// for user-agent tests that move time instead of sleeping. `near` is the side under test, `far`
// plays the other party by hand (or with its own user agent).
import { parseMessage, type SipMessage } from '@sipwake/sip-parser';
import { createManualClock, type ManualClock } from '../clock.js';
import { createTransactionLayer } from '../transaction/layer.js';
import type { TransactionLayer } from '../transaction/types.js';
import { createMemoryNetwork, type MemoryNetwork, type MemoryPacket } from '../transport/memory.js';
import type { SendTarget, Transport, TransportProtocol } from '../transport/types.js';

export interface UaEndpoint {
  readonly transport: Transport;
  readonly layer: TransactionLayer;
  readonly address: string;
  readonly port: number;
  /** Where the other side sends to reach this one. */
  readonly target: SendTarget;
}

export interface UaPair {
  readonly clock: ManualClock;
  readonly network: MemoryNetwork;
  readonly near: UaEndpoint;
  readonly far: UaEndpoint;
  /** Messages sent so far by the endpoint on `port`, parsed as they went out. */
  sentBy(port: number): SipMessage[];
  /** Lets queued deliveries happen (and the promise callbacks they trigger). */
  settle(): Promise<void>;
  /** Moves the clock, then settles. */
  advance(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export const PAIR_T1_MS = 500;
export const PAIR_T2_MS = 4000;

export async function createUaPair(protocol: TransportProtocol = 'udp'): Promise<UaPair> {
  const clock = createManualClock();
  const network = createMemoryNetwork();
  const endpoint = async (port: number): Promise<UaEndpoint> => {
    const transport = network.transport({ protocol, address: '127.0.0.1', port });
    await transport.start();
    const layer = createTransactionLayer({
      transport,
      clock,
      t1Ms: PAIR_T1_MS,
      t2Ms: PAIR_T2_MS,
    });
    return {
      transport,
      layer,
      address: '127.0.0.1',
      port,
      target: { protocol, address: '127.0.0.1', port },
    };
  };
  const near = await endpoint(5070);
  const far = await endpoint(5080);
  const settle = async (): Promise<void> => {
    // Deliveries run on microtasks and may trigger more; a few rounds reach a quiet network.
    for (let i = 0; i < 5; i++) {
      await network.settle();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  return {
    clock,
    network,
    near,
    far,
    sentBy: (port) =>
      network
        .sent()
        .filter((p: MemoryPacket) => p.flow.local.port === port)
        .map((p) => parseMessage(p.bytes, { datagram: true })),
    settle,
    async advance(ms) {
      clock.advance(ms);
      await settle();
    },
    async stop() {
      near.layer.stop();
      far.layer.stop();
      await near.transport.stop();
      await far.transport.stop();
    },
  };
}
