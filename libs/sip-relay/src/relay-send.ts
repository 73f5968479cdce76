// A send of the agent's transaction layer → a RouterSend request to a router: the router that
// holds the target's connection, else the chosen or any router. Its RouterSendResult → the Flow
// the message left on, or a TransportError the transaction layer understands.
import { isBusError } from '@sipwake/bus';
import type { BusError } from '@sipwake/bus';
import {
  decodeReply,
  encodeMessage,
  RouterSend,
  RouterSendResult,
  subjects,
} from '@sipwake/contracts';
import { serializeMessage } from '@sipwake/sip-parser';
import type { SipMessage } from '@sipwake/sip-parser';
import { TransportError, TransportErrorCode } from '@sipwake/sip-stack';
import type { Flow, SendTarget } from '@sipwake/sip-stack';
import { parseRelayConnectionId, relayConnectionId } from './connection-id.js';
import type { RouterConnection } from './connection-id.js';
import { selectorFromBranch } from './markers.js';
import type { ResolvedRelayOptions } from './relay-options.js';

const knownCodes = new Set<string>(Object.values(TransportErrorCode));

/** The selector of a request the agent sends (its relay branch), for the router's logs. */
function selectorOf(message: SipMessage | Buffer): string | undefined {
  if (Buffer.isBuffer(message) || message.type !== 'request') return undefined;
  try {
    return selectorFromBranch(message.topVia().branch);
  } catch {
    return undefined;
  }
}

function failure(target: SendTarget, code: TransportErrorCode, text: string, cause?: unknown) {
  return new TransportError(code, text, { target, ...(cause === undefined ? {} : { cause }) });
}

interface Attempt {
  readonly subject: string;
  /** The router the subject names (undefined: the queue group). */
  readonly routerId: string | undefined;
  readonly connection: RouterConnection | undefined;
}

/** Where to ask first, and where to ask again when nobody answers there. */
function attempts(options: ResolvedRelayOptions, target: SendTarget): Attempt[] {
  const any: Attempt = { subject: subjects.routerAny, routerId: undefined, connection: undefined };
  const connection =
    target.connectionId === undefined ? undefined : parseRelayConnectionId(target.connectionId);
  if (connection !== undefined) {
    // RFC 3261 §18.2.2: the connection if still open, else a new one to the address: a router
    // that is gone took its connections with it, so any router opens a new one.
    const owner = { subject: subjects.routerSip(connection.routerId), connection };
    return [{ ...owner, routerId: connection.routerId }, any];
  }
  const chosen = options.routerSelection?.(target);
  if (chosen === undefined) return [any];
  return [{ subject: subjects.routerSip(chosen), routerId: chosen, connection: undefined }, any];
}

export async function relaySend(
  options: ResolvedRelayOptions,
  target: SendTarget,
  message: SipMessage | Buffer,
): Promise<Flow> {
  const bytes = Buffer.isBuffer(message) ? message : serializeMessage(message);
  const selector = selectorOf(message);
  const plan = attempts(options, target);
  for (const [i, attempt] of plan.entries()) {
    const send: RouterSend = {
      message: bytes.toString('base64'),
      target: { protocol: target.protocol, address: target.address, port: target.port },
      ...(attempt.connection === undefined
        ? {}
        : { connectionId: attempt.connection.connectionId }),
      ...(selector === undefined ? {} : { selector }),
    };
    let data: Uint8Array;
    try {
      const headers = options.sendHeaders?.();
      const reply = await options.bus.request(attempt.subject, encodeMessage(RouterSend, send), {
        timeoutMs: options.sendTimeoutMs,
        ...(headers === undefined ? {} : { headers }),
      });
      data = reply.data;
    } catch (error) {
      const last = i === plan.length - 1;
      if (!last && isBusError(error) && error.code === 'NO_RESPONDERS') {
        options.log.debug({ subject: attempt.subject }, 'router gone: sending through any router');
        continue;
      }
      throw busFailure(target, attempt.subject, error);
    }
    return flowOf(options, target, attempt, decodeResult(target, data));
  }
  /* c8 ignore next: the plan always ends with the queue subject, which returns or throws */
  throw failure(target, TransportErrorCode.SendFailed, 'no router to send through');
}

function busFailure(target: SendTarget, subject: string, error: unknown): TransportError {
  const code = isBusError(error) ? (error as BusError).code : 'unknown';
  const why =
    code === 'NO_RESPONDERS'
      ? 'no router listens'
      : code === 'TIMEOUT'
        ? 'no router answered in time'
        : `the bus failed (${code})`;
  return failure(target, TransportErrorCode.SendFailed, `${why} on ${subject}`, error);
}

function decodeResult(target: SendTarget, data: Uint8Array): RouterSendResult {
  let reply;
  try {
    reply = decodeReply(RouterSendResult, data);
  } catch (error) {
    throw failure(
      target,
      TransportErrorCode.SendFailed,
      'a router answered a send unreadably',
      error,
    );
  }
  if (!reply.ok) {
    throw failure(
      target,
      TransportErrorCode.SendFailed,
      `router refused the send: ${reply.error.code}`,
    );
  }
  const result = reply.value;
  if (result.status === 'failed') {
    const code = result.error?.code ?? '';
    throw failure(
      target,
      knownCodes.has(code) ? (code as TransportErrorCode) : TransportErrorCode.SendFailed,
      `router failed to send: ${result.error?.message ?? 'no reason given'}`,
    );
  }
  return result;
}

function flowOf(
  options: ResolvedRelayOptions,
  target: SendTarget,
  attempt: Attempt,
  result: RouterSendResult,
): Flow {
  const advertised = options.advertised.find((a) => a.protocol === target.protocol) ??
    options.advertised[0] ?? { address: '0.0.0.0', port: 0 };
  const routerId = result.routerId ?? attempt.routerId;
  const connectionId =
    result.connectionId === null || routerId === undefined
      ? undefined
      : relayConnectionId(routerId, result.connectionId);
  return {
    protocol: target.protocol,
    local: { address: advertised.address, port: advertised.port },
    remote: { address: target.address, port: target.port },
    ...(connectionId === undefined ? {} : { connectionId }),
  };
}
