// createRouter: the SIP edge. Listeners (UDP, TCP, TLS, WS) through one sip-stack transport;
// every message received goes to the forwarder, every RouterSend on this router's subject and
// the queue subject to the sender. Stop: 503 to new requests, sends finish, listeners close.
import type { Subscription } from '@sipwake/bus';
import { QueueGroup, subjects } from '@sipwake/contracts';
import { createTransport } from '@sipwake/sip-stack';
import { createForwarder } from './forwarder.js';
import { noMetrics } from './metrics.js';
import { createSender } from './sender.js';
import type { Router, RouterDeps, RouterStopReason } from './types.js';

type State = 'new' | 'started' | 'stopping' | 'stopped';

export function createRouter(deps: RouterDeps): Router {
  const { bus, config: settings, log } = deps;
  const metrics = deps.metrics ?? noMetrics;
  const tracing = deps.tracing;
  const transport = createTransport({
    listen: settings.listen,
    ...(settings.tls === undefined ? {} : { tls: settings.tls }),
    idleTimeoutMs: settings.idleTimeoutMs,
    keepAliveIntervalMs: 0,
    maxMessageBytes: settings.maxMessageBytes,
    maxConnections: settings.maxConnections,
    ...(settings.udpReceiveBufferBytes === undefined
      ? {}
      : { udpReceiveBufferBytes: settings.udpReceiveBufferBytes }),
    log,
  });
  const inFlight = new Set<Promise<void>>();
  let subscriptions: Subscription[] = [];
  let state: State = 'new';
  let graceTimer: NodeJS.Timeout | undefined;
  let stopping: Promise<RouterStopReason> | undefined;

  const track = (work: Promise<void>): void => {
    inFlight.add(work);
    const forget = (): void => void inFlight.delete(work);
    work.then(forget, (error: unknown) => {
      forget();
      log.error({ err: error }, 'router message handling failed');
    });
  };

  const forwarder = createForwarder({
    bus,
    transport,
    settings,
    log,
    metrics,
    tracing,
    now: deps.now ?? Date.now,
    stopping: () => state !== 'started',
  });
  const sender = createSender({ transport, routerId: settings.routerId, log, metrics, tracing });

  transport.onMessage((inbound) => track(forwarder(inbound)));
  // Framed bytes that do not parse: dropped, counted (nobody can be answered reliably).
  transport.onInvalid(() => metrics.dropped('unparseable'));

  return {
    async start() {
      if (state !== 'new') return;
      await transport.start();
      subscriptions = [
        bus.subscribe(subjects.routerSip(settings.routerId), sender),
        bus.subscribe(subjects.routerAny, sender, { queue: QueueGroup.Router }),
      ];
      await bus.flush();
      state = 'started';
      log.info(
        { routerId: settings.routerId, listening: transport.listening() },
        'router listening',
      );
    },

    stop() {
      stopping ??= (async () => {
        const wasStarted = state === 'started';
        state = 'stopping';
        if (wasStarted && settings.stopGraceMs > 0) {
          // New requests get 503 while peers learn to go elsewhere.
          await new Promise<void>((resolve) => {
            graceTimer = setTimeout(resolve, settings.stopGraceMs);
          });
          clearTimeout(graceTimer);
        }
        await Promise.all(subscriptions.map((s) => s.drain()));
        subscriptions = [];
        await Promise.allSettled([...inFlight]);
        await transport.stop();
        state = 'stopped';
        log.info({ routerId: settings.routerId }, 'router stopped');
        return 'stopped' as const;
      })();
      return stopping;
    },

    listening: () => transport.listening(),
  };
}
