// Two SIP endpoints on an in-memory network, each with a transaction layer on one manual clock
// (and user agents on them): for user-agent tests that move time instead of sleeping. `near` is the side under test, `far`
// plays the other party by hand (or with its own user agent).
import { parseMessage, type SipMessage } from '@sipwake/sip-parser';
import { createManualClock, type ManualClock } from '../clock.js';
import { createTransactionLayer } from '../transaction/layer.js';
import type { TransactionLayer } from '../transaction/types.js';
import { settleNetwork } from './settle.js';
import { createMemoryNetwork, type MemoryNetwork, type MemoryPacket } from '../transport/memory.js';
import type { SendTarget, Transport, TransportProtocol } from '../transport/types.js';
import type { IncomingCall } from '../ua/uas-invite.js';
import { createUserAgent, type UserAgent } from '../ua/user-agent.js';

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
  /** A user agent on one side (`sip:<user>@127.0.0.1:<port>`, the pair's clock, T1, T2), stopped by stop(). */
  userAgent(user: string, side?: 'near' | 'far'): UserAgent;
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
  const agents: UserAgent[] = [];
  const near = await endpoint(5070);
  const far = await endpoint(5080);
  const settle = (): Promise<void> => settleNetwork(network);
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
    userAgent(user, side = 'near') {
      const endpoint = side === 'near' ? near : far;
      const ua = createUserAgent({
        layer: endpoint.layer,
        clock,
        contact: `sip:${user}@${endpoint.address}:${endpoint.port}`,
        t1Ms: PAIR_T1_MS,
        t2Ms: PAIR_T2_MS,
      });
      agents.push(ua);
      return ua;
    },
    async stop() {
      for (const ua of agents.splice(0)) ua.stop();
      near.layer.stop();
      far.layer.stop();
      await near.transport.stop();
      await far.transport.stop();
    },
  };
}

export interface CalleePair {
  readonly pair: UaPair;
  /** The near side's user agent. */
  readonly ua: UserAgent;
  /** The INVITEs it was offered, in order (no answer given). */
  readonly calls: IncomingCall[];
}

/** A pair whose near side runs a user agent for `user` that keeps the calls it is offered. */
export async function createCalleePair(user = 'bob'): Promise<CalleePair> {
  const pair = await createUaPair();
  const ua = pair.userAgent(user);
  const calls: IncomingCall[] = [];
  ua.onInvite((call) => calls.push(call));
  return { pair, ua, calls };
}
