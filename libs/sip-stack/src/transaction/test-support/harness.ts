// A transaction layer on a recording transport and a manual clock: every message the layer
// sends is kept (parsed back from its bytes) with the time it went out, and tests deliver
// messages as if they came from the network (through the transport's real inbound stamping).
import { createRequest, createResponse, parseMessage, serializeMessage } from '@sipwake/sip-parser';
import type { SipMessage, SipRequest, SipResponse } from '@sipwake/sip-parser';
import { createManualClock } from '../../clock.js';
import type { ManualClock } from '../../clock.js';
import { TransportError, TransportErrorCode } from '../../transport/errors.js';
import { createInboundDispatcher } from '../../transport/inbound.js';
import type {
  Flow,
  ListenOptions,
  SendTarget,
  Transport,
  TransportProtocol,
} from '../../transport/types.js';
import { createTransactionLayer } from '../layer.js';
import type {
  ClientTransaction,
  ClientTransactionHandlers,
  TransactionLayer,
  TransactionLayerOptions,
} from '../types.js';

export interface SentMessage {
  readonly at: number;
  readonly target: SendTarget;
  readonly message: SipMessage;
}

export interface RecordingTransport extends Transport {
  readonly sent: SentMessage[];
  /** Makes every later send fail (or only those the predicate picks). */
  failSends(which: boolean | ((message: SipMessage) => boolean)): void;
  /** Delivers a message as received on `flow` (default: UDP from 127.0.0.1:5070). */
  deliver(message: SipMessage | string, flow?: Partial<Flow>): void;
  /** Waits until every send's promise has settled and the layer saw the outcome. */
  settle(): Promise<void>;
}

const silentLog = { debug() {}, warn() {}, error() {} };

export const LOCAL = { address: '127.0.0.1', port: 5060 } as const;
export const REMOTE = { address: '127.0.0.1', port: 5070 } as const;

export function udpTarget(port: number = REMOTE.port): SendTarget {
  return { protocol: 'udp', address: REMOTE.address, port };
}

export function tcpTarget(port: number = REMOTE.port): SendTarget {
  return { protocol: 'tcp', address: REMOTE.address, port };
}

export function createRecordingTransport(
  clock: ManualClock,
  listen: readonly ListenOptions[] = [
    { protocol: 'udp', ...LOCAL },
    { protocol: 'tcp', ...LOCAL },
  ],
): RecordingTransport {
  const inbound = createInboundDispatcher(silentLog);
  const sent: SentMessage[] = [];
  const pending: Promise<unknown>[] = [];
  let fail: boolean | ((message: SipMessage) => boolean) = false;

  return {
    sent,
    start: async () => {},
    stop: async () => {},
    listening: () => listen,
    send(target, message) {
      const parsed = Buffer.isBuffer(message) ? parseMessage(message, { datagram: true }) : message;
      sent.push({ at: clock.now(), target, message: parsed });
      const failing = typeof fail === 'function' ? fail(parsed) : fail;
      const promise: Promise<Flow> = failing
        ? Promise.reject(
            new TransportError(TransportErrorCode.ConnectFailed, 'refused', { target }),
          )
        : Promise.resolve({
            protocol: target.protocol,
            local: LOCAL,
            remote: { address: target.address, port: target.port },
            ...(target.protocol === 'udp' ? {} : { connectionId: target.connectionId ?? 'conn-1' }),
          });
      pending.push(promise.catch(() => undefined));
      return promise;
    },
    onMessage: inbound.onMessage,
    onInvalid: inbound.onInvalid,
    onFlowClosed: inbound.onFlowClosed,
    failSends(which) {
      fail = which;
    },
    deliver(message, flow = {}) {
      const msg =
        typeof message === 'string'
          ? parseMessage(Buffer.from(message), { datagram: true })
          : message;
      const protocol: TransportProtocol = flow.protocol ?? 'udp';
      const full: Flow = {
        protocol,
        local: flow.local ?? LOCAL,
        remote: flow.remote ?? REMOTE,
        ...(flow.connectionId === undefined ? {} : { connectionId: flow.connectionId }),
      };
      inbound.message(msg, serializeMessage(msg), full);
    },
    async settle() {
      while (pending.length > 0) await Promise.all(pending.splice(0));
      await Promise.resolve();
    },
  };
}

export interface Harness {
  readonly clock: ManualClock;
  readonly transport: RecordingTransport;
  readonly layer: TransactionLayer;
  /** Messages sent with this method (requests) or status (responses), in order. */
  sentRequests(method: string): (SentMessage & { message: SipRequest })[];
  sentResponses(status?: number): (SentMessage & { message: SipResponse })[];
}

export function createHarness(options: Partial<TransactionLayerOptions> = {}): Harness {
  const clock = createManualClock();
  const transport = createRecordingTransport(clock);
  const layer = createTransactionLayer({ transport, clock, ...options });
  return {
    clock,
    transport,
    layer,
    sentRequests: (method) =>
      transport.sent.filter(
        (s): s is SentMessage & { message: SipRequest } =>
          s.message.type === 'request' && s.message.method === method,
      ),
    sentResponses: (status) =>
      transport.sent.filter(
        (s): s is SentMessage & { message: SipResponse } =>
          s.message.type === 'response' && (status === undefined || s.message.status === status),
      ),
  };
}

export interface RequestText {
  readonly method?: string;
  readonly uri?: string;
  /** The whole top Via value; `null` for a request without Via. */
  readonly via?: string | null;
  readonly branch?: string;
  readonly callId?: string;
  readonly cseq?: number;
  readonly fromTag?: string;
  readonly toTag?: string;
  readonly headers?: readonly string[];
}

let counter = 0;

/** A request as text: a UDP Via from 127.0.0.1:5070 with a magic-cookie branch unless told. */
export function requestText(options: RequestText = {}): string {
  const n = ++counter;
  const method = options.method ?? 'OPTIONS';
  const via =
    options.via === undefined
      ? `SIP/2.0/UDP 127.0.0.1:5070;branch=${options.branch ?? `z9hG4bK-t${n}`};rport`
      : options.via;
  const lines = [
    `${method} ${options.uri ?? 'sip:bob@127.0.0.1:5060'} SIP/2.0`,
    ...(via === null ? [] : [`Via: ${via}`]),
    'Max-Forwards: 70',
    `From: <sip:alice@127.0.0.1>;tag=${options.fromTag ?? `f${n}`}`,
    `To: <sip:bob@127.0.0.1>${options.toTag === undefined ? '' : `;tag=${options.toTag}`}`,
    `Call-ID: ${options.callId ?? `call-${n}@test`}`,
    `CSeq: ${options.cseq ?? 1} ${method}`,
    ...(options.headers ?? []),
    'Content-Length: 0',
    '',
    '',
  ];
  return lines.join('\r\n');
}

/** The same request as a TU builds it (createRequest): for requests the layer sends. */
export function request(options: RequestText = {}): SipRequest {
  const [startLine = '', ...lines] = requestText(options).split('\r\n');
  const [method = '', uri = ''] = startLine.split(' ');
  const headers = lines
    .filter((line) => line.includes(':') && !line.startsWith('Content-Length'))
    .map((line): [string, string] => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon), line.slice(colon + 1).trim()];
    });
  return createRequest({ method, uri, headers });
}

/** The response the far end would send to a request the layer sent. */
export function answer(sentRequest: SipRequest, status: number, toTag = 'callee'): SipResponse {
  return createResponse(sentRequest, status, undefined, { toTag });
}

export interface EventLog {
  readonly events: string[];
  readonly handlers: ClientTransactionHandlers;
}

/** Client handlers that write `provisional 180`, `final 486`, `timeout TRANSACTION_TIMEOUT 408 timerB`… */
export function recordClientEvents(): EventLog {
  const events: string[] = [];
  const handlers: ClientTransactionHandlers = {
    provisional: (r) => void events.push(`provisional ${r.status}`),
    final: (r) => void events.push(`final ${r.status}`),
    timeout: (e) => void events.push(`timeout ${e.code} ${e.sipStatus} ${e.timer}`),
    transportError: (e) => void events.push(`transportError ${e.code} ${e.sipStatus}`),
    terminated: (e: { reason: string }, tx: ClientTransaction) =>
      void events.push(`terminated ${e.reason} ${tx.state}`),
  };
  return { events, handlers };
}
