// Each SIP message a listener received: find the selector, forward the bytes as received with
// their transport facts to the owning shard, or answer what no shard needs to see. No per-call
// state: everything is decided from the message itself.
import { isBusError } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import {
  decodeReply,
  encodeMessage,
  SipForward,
  SipForwardAck,
  subjects,
} from '@sipwake/contracts';
import { checkRequest } from '@sipwake/sip-parser';
import type { SipRequest } from '@sipwake/sip-parser';
import { findSelector } from '@sipwake/sip-relay';
import type { SelectorMatch } from '@sipwake/sip-relay';
import type { Inbound, Transport } from '@sipwake/sip-stack';
import { injectTraceContext } from '@sipwake/telemetry';
import type { Tracing } from '@sipwake/telemetry';
import { answer } from './local-response.js';
import type { LocalAnswer } from './local-response.js';
import type { RouterMetrics } from './metrics.js';
import type { RouterSettings } from './settings.js';
import type { RouterLog } from './types.js';

export interface ForwarderDeps {
  readonly bus: Bus;
  readonly transport: Transport;
  readonly settings: RouterSettings;
  readonly log: RouterLog;
  readonly metrics: RouterMetrics;
  readonly tracing: Tracing | undefined;
  readonly now: () => number;
  /** True once stop() began: new out-of-dialog requests get 503. */
  readonly stopping: () => boolean;
}

/** RFC 3261 §12: a request with a To tag belongs to a dialog. */
function outOfDialog(request: SipRequest): boolean {
  try {
    return request.to().tag === undefined;
  } catch {
    return true;
  }
}

/** An OPTIONS to the router itself (no user part): a keep-alive ping from a registrar or device. */
function isPingToUs(request: SipRequest): boolean {
  if (request.method !== 'OPTIONS' || request.headers.has('route')) return false;
  try {
    const uri = request.requestUri();
    return (uri.scheme === 'sip' || uri.scheme === 'sips') && uri.user === undefined;
  } catch {
    return false;
  }
}

export function createForwarder(deps: ForwarderDeps): (inbound: Inbound) => Promise<void> {
  const { bus, transport, settings, log, metrics, tracing } = deps;
  const unavailable: LocalAnswer = {
    status: 503,
    reason: 'Service Unavailable',
    headers: [['Retry-After', String(settings.retryAfterS)]],
  };

  const reply = async (inbound: Inbound, local: LocalAnswer): Promise<void> => {
    if (inbound.message.type !== 'request') return;
    try {
      await answer(transport, inbound.message, inbound.flow, local);
      metrics.answered(local.status);
    } catch (error) {
      metrics.dropped('answer-failed');
      log.debug({ err: error, status: local.status }, 'could not send a response of our own');
    }
  };

  /** No selector: answer a request ourselves (200 ping, 400 malformed, 404), drop the rest. */
  const unrouted = async (inbound: Inbound): Promise<void> => {
    const { message } = inbound;
    if (message.type === 'response') {
      metrics.dropped('response-without-selector');
      return;
    }
    if (message.method === 'ACK') {
      metrics.dropped('ack-without-selector');
      return;
    }
    // A request that does not read (a broken header, a bad Request-URI): 400 (505, 416).
    const problem = checkRequest(message);
    if (problem !== undefined) {
      await reply(inbound, { status: problem.status, reason: problem.reason });
      return;
    }
    if (isPingToUs(message)) {
      await reply(inbound, { status: 200, reason: 'OK' });
      return;
    }
    await reply(inbound, { status: 404, reason: 'Not Found' });
  };

  const forwardBytes = (inbound: Inbound, match: SelectorMatch): Uint8Array => {
    const { flow } = inbound;
    const forward: SipForward = {
      selector: match.selector,
      message: inbound.bytes.toString('base64'),
      transport: {
        protocol: flow.protocol,
        source: { address: flow.remote.address, port: flow.remote.port },
        local: { address: flow.local.address, port: flow.local.port },
        connectionId: flow.connectionId ?? null,
      },
      routerId: settings.routerId,
      receivedAt: deps.now(),
    };
    return encodeMessage(SipForward, forward);
  };

  /** An out-of-dialog request: a bus request, so that "no shard" is noticed and answered 503. */
  const forwardRequest = async (inbound: Inbound, subject: string, data: Uint8Array) => {
    const started = performance.now();
    try {
      const ack = await bus.request(subject, data, {
        timeoutMs: settings.forwardTimeoutMs,
        headers: injectTraceContext({}),
      });
      metrics.forwardAck(performance.now() - started, 'ok');
      metrics.out('request');
      const decoded = decodeReply(SipForwardAck, ack.data);
      if (!decoded.ok) {
        metrics.dropped('shard-refused');
        log.warn({ subject, code: decoded.error.code }, 'a shard refused a forwarded request');
      }
    } catch (error) {
      const code = isBusError(error) ? error.code : undefined;
      if (code === 'NO_RESPONDERS') {
        metrics.forwardAck(performance.now() - started, 'no-responders');
        log.debug({ subject }, 'no shard for the selector: 503');
        await reply(inbound, unavailable);
      } else if (code === 'TIMEOUT') {
        // The shard has it but was slow to say so: it may still answer; the peer retransmits.
        metrics.forwardAck(performance.now() - started, 'timeout');
        metrics.dropped('shard-timeout');
        log.warn({ subject }, 'no ack from the shard in time');
      } else {
        metrics.forwardAck(performance.now() - started, 'error');
        metrics.dropped('publish-failed');
        log.warn({ subject, err: error }, 'could not forward a request');
      }
    }
  };

  const forward = async (inbound: Inbound, match: SelectorMatch): Promise<void> => {
    const { message } = inbound;
    const subject = subjects.shardSip(match.selector);
    const data = forwardBytes(inbound, match);
    if (message.type === 'request' && message.method !== 'ACK' && outOfDialog(message)) {
      await forwardRequest(inbound, subject, data);
      return;
    }
    try {
      bus.publish(subject, data, { headers: injectTraceContext({}) });
      metrics.out(message.type);
    } catch (error) {
      metrics.dropped('publish-failed');
      log.warn({ subject, err: error }, 'could not forward a message');
    }
  };

  const handle = async (inbound: Inbound, match: SelectorMatch | undefined): Promise<void> => {
    const { message } = inbound;
    metrics.received(message.type, inbound.flow.protocol);
    const newRequest =
      message.type === 'request' && message.method !== 'ACK' && outOfDialog(message);
    if (newRequest && deps.stopping()) {
      await reply(inbound, unavailable);
      return;
    }
    if (match === undefined) {
      await unrouted(inbound);
      return;
    }
    await forward(inbound, match);
  };

  if (tracing === undefined) return (inbound) => handle(inbound, findSelector(inbound.message));
  // A span per received message: the start of the call's trace, carried to the shard.
  return (inbound) => {
    const { message } = inbound;
    const attributes = {
      'sip.kind': message.type,
      'sip.method': message.type === 'request' ? message.method : message.cseq().method,
      'sip.status': message.type === 'response' ? message.status : undefined,
      'sip.call_id': message.callId(),
      'sip.transport': inbound.flow.protocol,
      'router.id': settings.routerId,
    };
    return tracing.withSpan('router.receive', attributes, (span) => {
      const match = findSelector(message);
      if (match !== undefined) span.setAttribute('sip.selector', match.selector);
      return handle(inbound, match);
    });
  };
}
