// The registrar-agent as a service of a sipwake process: its transport (the relay transport
// through routers over the bus, or its own sockets when `sip.direct`), an RFC 3263 locator and
// the calls side, on the host's bus, key ring and telemetry.
import type { RunningService, ServiceDefinition, ServiceHost } from '@sipwake/runtime';
import { createRelayTransport } from '@sipwake/sip-relay';
import {
  createCachingResolver,
  createNodeDnsResolver,
  createServerLocator,
  createTransport,
  type Transport,
} from '@sipwake/sip-stack';
import { injectTraceContext } from '@sipwake/telemetry';
import { createRegistrarAgent } from './agent.js';
import { createCallSide } from './calls/call-side.js';
import { systemAgentClock } from './clock.js';
import type { AgentClock } from './ports.js';
import { configSchema, settingsOf, type AgentConfigFile, type AgentSettings } from './config.js';

function createAgentTransport(
  host: ServiceHost,
  config: AgentConfigFile,
  settings: AgentSettings,
  clock: AgentClock,
): Transport {
  if (config.sip.direct) {
    return createTransport({
      listen: [
        {
          protocol: config.sip.publicTransport,
          address: config.sip.listenAddress,
          port: config.sip.listenPort,
        },
      ],
      clock,
      idleTimeoutMs: 300_000,
      keepAliveIntervalMs: 0,
      maxMessageBytes: settings.maxMessageBytes,
    });
  }
  return createRelayTransport({
    bus: host.bus,
    prefixes: settings.prefixes,
    advertised: [
      {
        protocol: settings.publicTransport,
        address: settings.publicHost,
        port: settings.publicPort,
      },
    ],
    shard: settings.shard,
    maxMessageBytes: settings.maxMessageBytes,
    sendHeaders: () => injectTraceContext({}),
    // Each message from a router is handled in a span whose parent is the router's: a call's
    // pushes, records and answers join the trace that started at the router.
    aroundDelivery: (facts, deliver) => {
      host.telemetry
        .handlerSpan('agent.sip.receive', facts.headers, deliver, {
          selector: facts.selector,
          routerId: facts.routerId,
        })
        .catch((error: unknown) => host.log.error({ err: error }, 'SIP from a router failed'));
    },
    log: host.log,
  });
}

async function start(host: ServiceHost, config: AgentConfigFile): Promise<RunningService> {
  const settings = settingsOf(config);
  const clock = systemAgentClock();
  const agent = createRegistrarAgent({
    bus: host.bus,
    transport: createAgentTransport(host, config, settings, clock),
    keyRing: host.keyRing,
    clock,
    log: host.log,
    config: settings,
    createCallSide,
    locator: createServerLocator({
      resolver: createCachingResolver(createNodeDnsResolver(), { clock }),
      transports: [settings.publicTransport],
      families: [4, 6],
    }),
    tracing: host.telemetry,
    metrics: host.telemetry.metrics,
  });
  try {
    await agent.start();
  } catch (error) {
    await agent.stop();
    throw error;
  }
  return {
    endpoints: [{ name: 'shard', url: `${settings.shard} ${settings.prefixes.join(',')}` }],
    stop: async () => {
      await agent.stop();
    },
  };
}

export const registrarAgentService: ServiceDefinition<typeof configSchema> = {
  name: 'registrar-agent',
  configSchema,
  start,
};
