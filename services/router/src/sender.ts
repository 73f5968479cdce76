// RouterSend from agents: the bytes leave from this router's own sockets (so that peers always
// see a router's address), on the connection the agent names when this router holds it, and the
// answer says which connection they left on, or the transport's error code.
import type { BusMessage } from '@sipwake/bus';
import {
  decodeMessage,
  encodeMessage,
  ErrorReply,
  RouterSend,
  RouterSendResult,
} from '@sipwake/contracts';
import { TransportError } from '@sipwake/sip-stack';
import type { SendTarget, Transport } from '@sipwake/sip-stack';
import type { Tracing } from '@sipwake/telemetry';
import { RouterErrorCode } from './errors.js';
import type { RouterMetrics } from './metrics.js';
import type { RouterLog } from './types.js';

export interface SenderDeps {
  readonly transport: Transport;
  readonly routerId: string;
  readonly log: RouterLog;
  readonly metrics: RouterMetrics;
  readonly tracing: Tracing | undefined;
}

export function createSender(deps: SenderDeps): (msg: BusMessage) => Promise<void> {
  const { transport, routerId, log, metrics } = deps;

  const send = async (msg: BusMessage, request: RouterSend): Promise<void> => {
    const target: SendTarget = {
      protocol: request.target.protocol,
      address: request.target.address,
      port: request.target.port,
      ...(request.connectionId === undefined ? {} : { connectionId: request.connectionId }),
    };
    let result: RouterSendResult;
    try {
      const flow = await transport.send(target, Buffer.from(request.message, 'base64'));
      result = { status: 'sent', connectionId: flow.connectionId ?? null, routerId };
      metrics.out('send');
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      result = {
        status: 'failed',
        connectionId: null,
        routerId,
        error: { code: error.code, message: error.message.slice(0, 1024) },
      };
      metrics.out('send-failed');
      log.debug(
        { selector: request.selector, code: error.code, protocol: target.protocol },
        'send for an agent failed',
      );
    }
    msg.respond(encodeMessage(RouterSendResult, result));
  };

  const handle = async (msg: BusMessage): Promise<void> => {
    const { subject, data } = msg;
    let request: RouterSend;
    try {
      request = decodeMessage(RouterSend, data, { subject });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log.warn({ subject, reason }, 'RouterSend refused');
      const reply: ErrorReply = {
        error: {
          code: RouterErrorCode.InvalidSend,
          message: reason.slice(0, 1024),
          retryable: false,
        },
      };
      msg.respond(encodeMessage(ErrorReply, reply));
      return;
    }
    if (deps.tracing === undefined) return send(msg, request);
    const attributes = {
      'router.id': routerId,
      'sip.transport': request.target.protocol,
      ...(request.selector === undefined ? {} : { 'sip.selector': request.selector }),
    };
    return deps.tracing.handlerSpan(
      'router.send',
      msg.headers,
      () => send(msg, request),
      attributes,
    );
  };
  return handle;
}
