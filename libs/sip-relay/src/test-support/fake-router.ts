// The router side of the bus for relay transport tests: forwards SIP text to a shard subject
// as a router would, and answers RouterSends on its own subject and the queue subject.
import type { Bus, BusMessage } from '@sipwake/bus';
import {
  decodeMessage,
  encodeMessage,
  QueueGroup,
  RouterSend,
  RouterSendResult,
  SipForward,
  subjects,
} from '@sipwake/contracts';

export const selectorA = '4a8bef098cd19b085f0eb48256f504f34142c01a';
export const selectorOutside = 'c28bef098cd19b085f0eb48256f504f34142c01a';

export interface ForwardOptions {
  readonly protocol?: SipForward['transport']['protocol'];
  readonly source?: { address: string; port: number };
  readonly connectionId?: string | null;
  readonly routerId?: string;
}

export function sipForward(selector: string, text: string | Buffer, options: ForwardOptions = {}) {
  const forward: SipForward = {
    selector,
    message: Buffer.from(text).toString('base64'),
    transport: {
      protocol: options.protocol ?? 'udp',
      source: options.source ?? { address: '192.0.2.7', port: 5070 },
      local: { address: '127.0.0.1', port: 5060 },
      connectionId: options.connectionId ?? null,
    },
    routerId: options.routerId ?? 'r1',
    receivedAt: 1_700_000_000_000,
  };
  return encodeMessage(SipForward, forward);
}

export interface ReceivedSend {
  readonly subject: string;
  readonly send: RouterSend;
  readonly text: string;
}

export interface FakeRouter {
  readonly sends: ReceivedSend[];
  /** The next send, in order of arrival. */
  next(): Promise<ReceivedSend>;
  stop(): void;
}

/**
 * Subscribes `sw.router.<id>.sip` and the queue subject; answers each send with `answer(send)`
 * (default: sent, the connection id it named or `tcp-new` on a stream transport).
 */
export function startFakeRouter(
  bus: Bus,
  routerId: string,
  answer?: (send: RouterSend) => RouterSendResult,
): FakeRouter {
  const sends: ReceivedSend[] = [];
  const waiting: ((send: ReceivedSend) => void)[] = [];
  const handle = (msg: BusMessage): void => {
    const send = decodeMessage(RouterSend, msg.data);
    const received = {
      subject: msg.subject,
      send,
      text: Buffer.from(send.message, 'base64').toString('utf8'),
    };
    const result: RouterSendResult = answer?.(send) ?? {
      status: 'sent',
      connectionId: send.target.protocol === 'udp' ? null : (send.connectionId ?? 'tcp-new'),
      routerId,
    };
    msg.respond(encodeMessage(RouterSendResult, result));
    const waiter = waiting.shift();
    if (waiter) waiter(received);
    else sends.push(received);
  };
  const subs = [
    bus.subscribe(subjects.routerSip(routerId), handle),
    bus.subscribe(subjects.routerAny, handle, { queue: QueueGroup.Router }),
  ];
  return {
    sends,
    next: () => {
      const ready = sends.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
    stop: () => subs.forEach((s) => s.unsubscribe()),
  };
}

/** An OPTIONS request to a selector user, as a peer sends it. */
export function optionsTo(
  selector: string,
  branch = 'z9hG4bKpeer1',
  via = '192.0.2.7:5070',
): string {
  return [
    `OPTIONS sip:${selector}@127.0.0.1:5060 SIP/2.0`,
    `Via: SIP/2.0/UDP ${via};branch=${branch};rport`,
    'From: <sip:peer@example.com>;tag=p1',
    `To: <sip:${selector}@example.com>`,
    `Call-ID: ${branch}@example.com`,
    'CSeq: 7 OPTIONS',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}
