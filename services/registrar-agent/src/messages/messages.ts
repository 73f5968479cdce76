// Incoming MESSAGE (RFC 3428) to an instance: "is composing" (RFC 3994) is accepted and dropped;
// delivery and read notifications (RFC 5438 IMDN) are kept without a push; anything larger than
// the configured size is refused 413; the rest is stored durably, answered 202 once the store
// confirmed (500/503 otherwise, so the sender retries), pushed, and relayed at once to every
// live device binding.
import { PushType } from '@sipwake/contracts';
import { selectorFromUri } from '@sipwake/sip-relay';
import type { SipRequest } from '@sipwake/sip-parser';
import { createUasResponse } from '@sipwake/sip-stack';
import type { ServerTransaction, TransactionLayer } from '@sipwake/sip-stack';
import type { AgentClock, CallSideConfig, CallSideLog, InstanceDirectory } from '../ports.js';
import type { DeviceBindings } from '../device/bindings.js';
import { forwardRequest } from '../calls/proxy.js';
import { pushRequestFor, type PushSender } from '../calls/wake-push.js';
import type { MessageStore } from './store.js';

export const IS_COMPOSING = 'application/im-iscomposing+xml';
export const IMDN = 'message/imdn+xml';

/** What the agent does with a MESSAGE of a media type. */
export const MessageKind = {
  /** Accepted and dropped (a typing indicator means nothing to a sleeping app). */
  Drop: 'drop',
  /** Stored and relayed, not pushed (delivery/read notifications). */
  Quiet: 'quiet',
  /** Stored, pushed and relayed. */
  Deliver: 'deliver',
} as const;
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];

export function messageKind(contentType: string | undefined): MessageKind {
  if (contentType === IS_COMPOSING) return MessageKind.Drop;
  if (contentType === IMDN) return MessageKind.Quiet;
  return MessageKind.Deliver;
}

export interface MessagesOptions {
  readonly layer: TransactionLayer;
  readonly clock: AgentClock;
  readonly log: CallSideLog;
  readonly config: CallSideConfig;
  readonly directory: InstanceDirectory;
  readonly bindings: DeviceBindings;
  readonly pushes: PushSender;
  /** Undefined: no store is wired, every MESSAGE to be kept is answered 503. */
  readonly store: MessageStore | undefined;
  /** The largest body taken, octets (default: the config's maxMessageBytes). */
  readonly maxBodyBytes?: number;
  /** Seconds a sender waits before retrying after a store failure (Retry-After). */
  readonly retryAfterS?: number;
}

export interface Messages {
  /** Answers one MESSAGE server transaction. Never rejects. */
  handle(tx: ServerTransaction): Promise<void>;
}

export function createMessages(options: MessagesOptions): Messages {
  const { layer, clock, log, config, directory, bindings, pushes, store } = options;
  const maxBodyBytes = options.maxBodyBytes ?? config.maxMessageBytes;
  const retryAfter = String(options.retryAfterS ?? 10);
  const via = { host: config.publicHost, port: config.publicPort };

  const respond = (
    tx: ServerTransaction,
    status: number,
    reason: string,
    headers: readonly (readonly [string, string])[] = [],
  ): void => {
    tx.respond(createUasResponse(tx.request, status, reason, { headers }));
  };

  /** RFC 3428 §7: a proxy forwards MESSAGE like any non-INVITE request; answers are not waited for. */
  const relay = (selector: string, request: SipRequest): void => {
    for (const binding of bindings.live(selector)) {
      const copy = forwardRequest(request, {
        selector,
        requestUri: binding.contact,
        protocol: binding.target.protocol,
        via,
      });
      try {
        layer.sendRequest(copy, binding.target, {
          final: (r) => log.debug({ selector, status: r.status }, 'device answered a MESSAGE'),
        });
      } catch {
        log.debug({ selector }, 'MESSAGE not relayed to a device');
      }
    }
  };

  const handle = async (tx: ServerTransaction): Promise<void> => {
    const { request } = tx;
    const selector = selectorFromUri(request.requestUri());
    const instance = selector === undefined ? undefined : directory.get(selector);
    if (selector === undefined || instance === undefined) {
      respond(tx, 404, 'Not Found');
      return;
    }
    const kind = messageKind(request.contentType());
    if (kind === MessageKind.Drop) {
      respond(tx, 200, 'OK');
      return;
    }
    if (request.body.length > maxBodyBytes) {
      respond(tx, 413, 'Request Entity Too Large');
      return;
    }
    if (store === undefined) {
      respond(tx, 503, 'Service Unavailable', [['Retry-After', retryAfter]]);
      return;
    }
    const from = request.from();
    const result = await store.store({
      selector,
      callId: request.callId(),
      cseq: request.cseq().seq,
      from: from.uriText,
      fromDisplayName: from.displayName,
      to: request.to().uriText,
      contentType: request.contentType() ?? 'text/plain',
      body: Buffer.from(request.body),
      receivedAt: clock.epochMs(),
    });
    if (!result.stored) {
      log.warn({ selector, callId: request.callId(), code: result.code }, 'MESSAGE not stored');
      // Retryable: the sender tries again later; otherwise it must not.
      if (result.retryable) respond(tx, 503, 'Service Unavailable', [['Retry-After', retryAfter]]);
      else respond(tx, 500, 'Server Internal Error');
      return;
    }
    // RFC 3428 §7: 202 "the request has been accepted for processing" — stored, not yet read.
    respond(tx, 202, 'Accepted');
    relay(selector, request);
    if (kind === MessageKind.Deliver) {
      const push = pushRequestFor(PushType.Message, instance, undefined, config);
      if (push) {
        const caller = {
          uri: from.uriText,
          ...(from.displayName ? { displayName: from.displayName } : {}),
        };
        void pushes.send({ ...push, caller });
      }
    }
  };

  return {
    async handle(tx) {
      try {
        await handle(tx);
      } catch (error) {
        const parse = error instanceof Error && error.name === 'SipParseError';
        respond(tx, parse ? 400 : 500, parse ? 'Bad Request' : 'Server Internal Error');
      }
    },
  };
}
