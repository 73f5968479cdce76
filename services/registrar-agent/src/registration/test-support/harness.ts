// The registration manager on an in-memory network against a scripted registrar, with a manual
// clock: each REGISTER the registrar receives is recorded and answered by `answer`.
import type { CheckpointRow, LoadedInstance } from '@sipwake/contracts';
import type { SipRequest } from '@sipwake/sip-parser';
import { createMemoryNetwork, createTransactionLayer, createUasResponse } from '@sipwake/sip-stack';
import type { MemoryNetwork, SentBy, Transport, TransactionLayer } from '@sipwake/sip-stack';
import { manualAgentClock } from '../../clock.js';
import type { ManualAgentClock } from '../../clock.js';
import { settingsDefaults } from '../../config.js';
import type { AgentSettings } from '../../config.js';
import { createDirectory } from '../../directory/directory.js';
import type { DirectoryStore } from '../../directory/directory.js';
import { createRegistrationManager } from '../manager.js';
import type { RegistrationManager } from '../manager.js';
import { locatorFinder } from '../target.js';
import { testKeyRing } from './instances.js';
import type { KeyRing } from '@sipwake/secrets';

export const REGISTRAR = '10.0.0.2';

export interface Answer {
  readonly status: number;
  readonly headers?: readonly (readonly [string, string])[];
}

export interface Received {
  readonly request: SipRequest;
  readonly at: number;
}

export interface Harness {
  readonly clock: ManualAgentClock;
  readonly network: MemoryNetwork;
  readonly directory: DirectoryStore;
  readonly manager: RegistrationManager;
  readonly keyRing: KeyRing;
  readonly received: Received[];
  readonly rows: CheckpointRow[];
  /** How the registrar answers the next REGISTERs (default: 200 granting what was asked). */
  answer: (request: SipRequest) => Answer | 'drop';
  put(instance: LoadedInstance): void;
  /** Moves the clock and lets every delivery and promise run. */
  advance(ms: number): Promise<void>;
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export function grant(request: SipRequest): Answer {
  const expires = request.expires() ?? 3600;
  const contact = request.headers.get('contact') ?? '';
  const uri = /<([^>]+)>/.exec(contact)?.[1] ?? '';
  return { status: 200, headers: [['Contact', `<${uri}>;expires=${expires}`]] };
}

export interface HarnessOptions {
  /** Passed to the manager: REGISTERs then carry the selector in their Via branch. */
  readonly sentBy?: SentBy;
}

export async function startHarness(
  over: Partial<AgentSettings> = {},
  options: HarnessOptions = {},
): Promise<Harness> {
  const clock = manualAgentClock();
  const network = createMemoryNetwork();
  const agentSide: Transport = network.transport({
    protocol: 'udp',
    address: '10.0.0.1',
    port: 5060,
  });
  const registrarSide: Transport = network.transport({
    protocol: 'udp',
    address: REGISTRAR,
    port: 5060,
  });
  await agentSide.start();
  await registrarSide.start();
  const layer: TransactionLayer = createTransactionLayer({ transport: agentSide, clock });
  const registrarLayer = createTransactionLayer({ transport: registrarSide, clock });
  const keyRing = testKeyRing();
  const directory = createDirectory({ keyRing });
  const received: Received[] = [];
  const rows: CheckpointRow[] = [];
  const silent = { debug() {}, info() {}, warn() {} };
  const manager = createRegistrationManager({
    directory,
    layer,
    clock,
    settings: { ...settingsDefaults, shard: 'test', publicHost: '10.0.0.1', ...over },
    findTargets: locatorFinder(undefined),
    log: silent,
    checkpoint: (row) => rows.push(row),
    random: () => 0.5,
    ...(options.sentBy === undefined ? {} : { sentBy: () => options.sentBy }),
  });
  const harness: Harness = {
    clock,
    network,
    directory,
    manager,
    keyRing,
    received,
    rows,
    answer: grant,
    put: (instance) => void directory.put(instance),
    async settle() {
      for (let i = 0; i < 50; i++) {
        await network.settle();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },
    async advance(ms) {
      clock.advance(ms);
      await harness.settle();
    },
    async stop() {
      manager.stop();
      layer.stop();
      registrarLayer.stop();
      await manager.settled();
      await agentSide.stop();
      await registrarSide.stop();
    },
  };
  registrarLayer.onRequest((tx) => {
    received.push({ request: tx.request, at: clock.now() });
    const answer = harness.answer(tx.request);
    if (answer === 'drop') return;
    tx.respond(
      createUasResponse(tx.request, answer.status, undefined, { headers: answer.headers ?? [] }),
    );
  });
  return harness;
}
