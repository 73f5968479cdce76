// createPushNotifier: the push subject in the push-notifier queue group (several notifiers share
// the work). A request that fails its schema is answered INVALID_REQUEST and nothing is sent;
// a valid one is answered with one outcome per device. stop() refuses new requests, cuts retry
// waits short, waits for what is in flight to be answered, then closes the connections.
import type { BusMessage, Subscription } from '@sipwake/bus';
import {
  ContractError,
  decodeMessage,
  encodeMessage,
  ErrorReply,
  PushRequest,
  PushResults,
  QueueGroup,
  subjects,
} from '@sipwake/contracts';
import { systemClock } from './clock.js';
import { dispatch, type DispatchContext } from './dispatch.js';
import { PushErrorCode } from './errors.js';
import { createLimiter } from './limiter.js';
import { createSleeper } from './retry.js';
import { createSenders } from './senders.js';
import { readTemplates } from './templates.js';
import type { PushNotifier, PushNotifierOptions } from './types.js';

export function createPushNotifier(options: PushNotifierOptions): PushNotifier {
  const { bus, config, log } = options;
  const clock = options.clock ?? systemClock();
  const templates =
    options.templates ?? (config.templates.file === '' ? {} : readTemplates(config.templates.file));
  const senders = createSenders(config, templates, clock, (provider) => (event, detail) => {
    const fields = { provider, event, ...(detail === undefined ? {} : { detail }) };
    if (event === 'error') log.warn(fields, 'provider connection failed');
    else log.debug(fields, `provider connection ${event}`);
  });
  const maxConcurrent = { apns: config.apns.maxConcurrent, fcm: config.fcm.maxConcurrent };
  const sleeper = createSleeper(clock);
  const context: DispatchContext = {
    senders: new Map(
      [...senders.byProvider].map(([provider, sender]) => [
        provider,
        { sender, limiter: createLimiter(maxConcurrent[provider]) },
      ]),
    ),
    clock,
    sleeper,
    random: options.random ?? Math.random,
    policy: {
      baseDelayMs: config.push.retryBaseDelayMs,
      maxDelayMs: config.push.retryMaxDelayMs,
      maxAttempts: config.push.maxAttempts,
    },
    deadlineMs: config.push.deadlineMs,
    requestTimeoutMs: config.push.requestTimeoutMs,
    log,
    ...(options.tracing === undefined ? {} : { tracing: options.tracing }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
  };
  const inFlight = new Set<Promise<void>>();
  let subscription: Subscription | undefined;
  let stopping: Promise<void> | undefined;

  const refuse = (msg: BusMessage, error: ContractError): void => {
    log.warn({ code: PushErrorCode.InvalidRequest, reason: error.message }, 'push request refused');
    msg.respond(
      encodeMessage(ErrorReply, {
        error: {
          code: PushErrorCode.InvalidRequest,
          message: error.message.slice(0, 1024),
          retryable: false,
        },
      }),
    );
  };

  const handle = async (msg: BusMessage): Promise<void> => {
    const { data } = msg;
    let request: PushRequest;
    try {
      request = decodeMessage(PushRequest, data, { subject: subjects.push });
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      refuse(msg, error);
      return;
    }
    const results = await dispatch(context, request);
    msg.respond(encodeMessage(PushResults, { results }));
  };

  const traced = (msg: BusMessage): Promise<void> => {
    const { headers } = msg;
    return options.tracing === undefined
      ? handle(msg)
      : options.tracing.handlerSpan('push.request', headers, () => handle(msg));
  };

  return {
    start() {
      if (subscription !== undefined || stopping !== undefined) return;
      subscription = bus.subscribe(
        subjects.push,
        (msg) => {
          const work = traced(msg).finally(() => inFlight.delete(work));
          inFlight.add(work);
          return work;
        },
        { queue: QueueGroup.PushNotifier },
      );
      log.info(
        { queue: QueueGroup.PushNotifier, providers: [...senders.byProvider.keys()] },
        'push-notifier started',
      );
    },
    stop() {
      stopping ??= (async () => {
        await subscription?.drain();
        sleeper.cancelAll();
        await Promise.allSettled([...inFlight]);
        await Promise.all([...senders.byProvider.values()].map((s) => s.close()));
        log.info({}, 'push-notifier stopped');
      })();
      return stopping;
    },
    stats() {
      const connections: Record<string, number> = {};
      for (const [provider, sender] of senders.byProvider)
        connections[provider] = sender.connections();
      return {
        connections,
        apnsTokensSigned: senders.apnsTokens?.signed() ?? 0,
        fcmTokensGranted: senders.googleTokens?.grants() ?? 0,
      };
    },
  };
}
