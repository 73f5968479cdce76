// createRelayTransport(): sip-stack's Transport for a registrar-agent, over the bus. It takes
// the SipForwards routers publish on its prefixes' sip subjects as received messages, and sends
// by asking a router (RouterSend), so that every peer sees a router's address.
import type { BusMessage, Subscription } from '@sipwake/bus';
import {
  decodeMessage,
  encodeMessage,
  ErrorReply,
  ShardSubjectKind,
  SipForward,
  SipForwardAck,
  subjects,
} from '@sipwake/contracts';
import type { SipMessage } from '@sipwake/sip-parser';
import { TransportError, TransportErrorCode } from '@sipwake/sip-stack';
import type {
  Flow,
  FlowClosed,
  Inbound,
  InboundInvalid,
  ListenOptions,
  SendTarget,
  Transport,
} from '@sipwake/sip-stack';
import { receive } from './relay-inbound.js';
import { resolveRelayOptions } from './relay-options.js';
import type { RelayTransportOptions } from './relay-options.js';
import { relaySend } from './relay-send.js';

type State = 'new' | 'started' | 'stopped';

export interface RelayTransport extends Transport {
  /** The subjects it listens on (after start). */
  subjects(): readonly string[];
}

export function createRelayTransport(relayOptions: RelayTransportOptions): RelayTransport {
  const options = resolveRelayOptions(relayOptions);
  const { bus, log } = options;
  const messageHandlers: ((inbound: Inbound) => void)[] = [];
  const invalidHandlers: ((invalid: InboundInvalid) => void)[] = [];
  const closedHandlers: ((closed: FlowClosed) => void)[] = [];
  const sending = new Set<Promise<unknown>>();
  let subscriptions: Subscription[] = [];
  let state: State = 'new';
  let stopping: Promise<void> | undefined;

  const subjectList = [
    ...new Set(
      options.prefixes.flatMap((p) => subjects.shardSubscriptions(p, ShardSubjectKind.Sip)),
    ),
  ];

  // A handler that throws must not take the subscription down with it.
  const call = <T>(handlers: readonly ((value: T) => void)[], value: T): void => {
    for (const handler of handlers) {
      try {
        handler(value);
      } catch (error) {
        log.warn({ err: error }, 'relay transport handler threw');
      }
    }
  };

  const refuse = (msg: BusMessage, error: unknown): void => {
    const reason = error instanceof Error ? error.message : String(error);
    log.warn({ subject: msg.subject, reason }, 'SipForward dropped');
    const reply: ErrorReply = {
      error: { code: 'INVALID_MESSAGE', message: reason.slice(0, 1024), retryable: false },
    };
    msg.respond(encodeMessage(ErrorReply, reply));
  };

  const onForward = (msg: BusMessage): void => {
    const { subject, data, headers } = msg;
    let forward: SipForward;
    try {
      forward = decodeMessage(SipForward, data, { subject });
    } catch (error) {
      refuse(msg, error);
      return;
    }
    // The router asked "is the shard there?" (out-of-dialog requests): yes, it has the message.
    msg.respond(
      encodeMessage(SipForwardAck, {
        accepted: true,
        ...(options.shard === undefined ? {} : { shard: options.shard }),
      }),
    );
    const facts = {
      subject,
      selector: forward.selector,
      routerId: forward.routerId,
      receivedAt: forward.receivedAt,
      headers,
    };
    options.aroundDelivery(facts, () => {
      const received = receive(forward, options.maxMessageBytes);
      if (received.kind === 'message') {
        call(messageHandlers, received.inbound);
      } else {
        log.debug({ subject, err: received.invalid.error }, 'forwarded SIP message is invalid');
        call(invalidHandlers, received.invalid);
      }
    });
  };

  return {
    async start() {
      if (state === 'stopped') {
        throw new TransportError(TransportErrorCode.NotListening, 'relay transport stopped');
      }
      if (state === 'started') return;
      state = 'started';
      subscriptions = subjectList.map((subject) => bus.subscribe(subject, onForward));
      // The subscriptions are in place at the server before a router may count on them.
      await bus.flush();
      log.debug({ subjects: subjectList }, 'relay transport listening');
    },

    stop() {
      stopping ??= (async () => {
        state = 'stopped';
        for (const s of subscriptions) s.unsubscribe();
        subscriptions = [];
        await Promise.allSettled([...sending]);
      })();
      return stopping;
    },

    listening(): readonly (ListenOptions & { readonly port: number })[] {
      if (state !== 'started') return [];
      return options.advertised.map((a) => ({
        protocol: a.protocol,
        address: a.address,
        port: a.port,
      }));
    },

    send(target: SendTarget, message: SipMessage | Buffer): Promise<Flow> {
      if (state !== 'started') {
        return Promise.reject(
          new TransportError(
            TransportErrorCode.NotListening,
            `relay transport is ${state}: cannot send`,
            { target },
          ),
        );
      }
      const sent = relaySend(options, target, message);
      sending.add(sent);
      const forget = (): void => void sending.delete(sent);
      sent.then(forget, forget);
      return sent;
    },

    onMessage: (handler) => void messageHandlers.push(handler),
    onInvalid: (handler) => void invalidHandlers.push(handler),
    // Connections live in routers; their closes are not reported over the bus (yet).
    onFlowClosed: (handler) => void closedHandlers.push(handler),
    subjects: () => subjectList,
  };
}
