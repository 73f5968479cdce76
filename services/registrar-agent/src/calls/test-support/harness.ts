// SIP endpoints on an in-memory network and one manual clock, for the calls side's unit tests:
// the agent's transaction layer, an upstream caller and devices (user agents with their own
// layers), a fake directory and a push client whose answers the test decides.
import { parseMessage } from '@sipwake/sip-parser';
import type { SipMessage } from '@sipwake/sip-parser';
import {
  createManualClock,
  createMemoryNetwork,
  createTransactionLayer,
  createUserAgent,
} from '@sipwake/sip-stack';
import type {
  ManualClock,
  MemoryNetwork,
  SendTarget,
  TransactionLayer,
  Transport,
  UserAgent,
} from '@sipwake/sip-stack';
import type { CallRecord, PushRequest, PushResults } from '@sipwake/contracts';
import type { AgentClock, CallSideConfig, CallSideLog, PushClient } from '../../ports.js';
import { createFakeDirectory, type FakeDirectory } from './fake-directory.js';

export const T1_MS = 500;
export const WAKE_T1_MS = 120_000;
export const WAKE_T2_MS = 60_000;
export const AGENT_PORT = 5060;

export interface Endpoint {
  readonly transport: Transport;
  readonly layer: TransactionLayer;
  readonly port: number;
  readonly target: SendTarget;
}

export interface FakePush extends PushClient {
  readonly requests: PushRequest[];
  /** The next pushes answer with this (default: every device `sent`). */
  answerWith(answer: ((request: PushRequest) => Promise<PushResults>) | undefined): void;
}

export interface Harness {
  readonly clock: ManualClock & AgentClock;
  readonly network: MemoryNetwork;
  readonly agent: Endpoint;
  readonly directory: FakeDirectory;
  readonly push: FakePush;
  /** Call records the calls side wrote (wireCallSide points its recorder here). */
  readonly records: CallRecord[];
  readonly config: CallSideConfig;
  readonly log: CallSideLog & { readonly lines: string[] };
  /** A SIP endpoint on 127.0.0.1:port with a user agent whose contact is `sip:<user>@…`. */
  endpoint(port: number, user: string): Promise<Endpoint & { readonly ua: UserAgent }>;
  /** Messages sent by the endpoint on `port`, parsed. */
  sentBy(port: number): SipMessage[];
  settle(): Promise<void>;
  advance(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export function silentLog(): CallSideLog & { readonly lines: string[] } {
  const lines: string[] = [];
  const log = {
    lines,
    debug: (_f: object, m: string) => void lines.push(`debug ${m}`),
    info: (_f: object, m: string) => void lines.push(`info ${m}`),
    warn: (_f: object, m: string) => void lines.push(`warn ${m}`),
    error: (_f: object, m: string) => void lines.push(`error ${m}`),
    child: () => log,
  };
  return log;
}

export async function createHarness(): Promise<Harness> {
  const manual = createManualClock();
  const clock = Object.assign(manual, { epochMs: () => 1_700_000_000_000 + manual.now() });
  const network = createMemoryNetwork();
  const stoppers: (() => Promise<void> | void)[] = [];

  const open = async (port: number): Promise<Endpoint> => {
    const transport = network.transport({ protocol: 'udp', address: '127.0.0.1', port });
    await transport.start();
    const layer = createTransactionLayer({ transport, clock, t1Ms: T1_MS });
    stoppers.push(async () => {
      layer.stop();
      await transport.stop();
    });
    return { transport, layer, port, target: { protocol: 'udp', address: '127.0.0.1', port } };
  };

  const requests: PushRequest[] = [];
  let answer: ((request: PushRequest) => Promise<PushResults>) | undefined;
  const push: FakePush = {
    requests,
    answerWith: (a) => void (answer = a),
    push(request) {
      requests.push(request);
      if (answer) return answer(request);
      return Promise.resolve({
        results: request.devices.map((d) => ({ deviceId: d.deviceId, outcome: 'sent' as const })),
      });
    },
  };

  const settle = async (): Promise<void> => {
    for (let i = 0; i < 8; i++) {
      await network.settle();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };

  const agent = await open(AGENT_PORT);
  return {
    clock,
    network,
    agent,
    directory: createFakeDirectory(),
    push,
    records: [],
    log: silentLog(),
    config: {
      shard: 'shard-a',
      realm: 'sipwake.test',
      wakeT1Ms: WAKE_T1_MS,
      wakeT2Ms: WAKE_T2_MS,
      maxMessageBytes: 4096,
      publicHost: '127.0.0.1',
      publicPort: AGENT_PORT,
      publicTransport: 'udp',
      sipHost: 'sip.sipwake.test',
      hostPrefixLength: 1,
    },
    async endpoint(port, user) {
      const ep = await open(port);
      const ua = createUserAgent({
        layer: ep.layer,
        clock,
        contact: `sip:${user}@127.0.0.1:${port}`,
      });
      stoppers.push(() => ua.stop());
      return { ...ep, ua };
    },
    sentBy: (port) =>
      network
        .sent()
        .filter((p) => p.flow.local.port === port)
        .map((p) => parseMessage(p.bytes, { datagram: true })),
    settle,
    async advance(ms) {
      clock.advance(ms);
      await settle();
    },
    async stop() {
      for (const stop of stoppers.reverse()) await stop();
    },
  };
}
