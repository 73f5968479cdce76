// A router stand-in for integration tests: a real UDP socket on loopback and the bus, nothing
// else (services/router is the real one). What arrives on the socket goes to the owning shard's
// sip subject, found by sip-relay's `findSelector` — requests as bus requests (the shard acks),
// responses published; what agents ask on `routerSip(id)` and `routerAny` is sent from the socket.
import type { Bus, Subscription } from '@sipwake/bus';
import {
  decodeMessage,
  decodeReply,
  encodeMessage,
  QueueGroup,
  RouterSend,
  RouterSendResult,
  SipForward,
  SipForwardAck,
  subjects,
} from '@sipwake/contracts';
import { findSelector } from '@sipwake/sip-relay';
import { createTransport } from '@sipwake/sip-stack';
import type { Inbound, Transport } from '@sipwake/sip-stack';

export interface UdpRouter {
  readonly routerId: string;
  readonly port: number;
  /** Messages forwarded to shards, and messages no selector was found for. */
  readonly counts: { forwarded: number; unrouted: number; sent: number; refused: number };
  stop(): Promise<void>;
}

export async function startUdpRouter(bus: Bus, routerId: string, port: number): Promise<UdpRouter> {
  const transport: Transport = createTransport({
    listen: [{ protocol: 'udp', address: '127.0.0.1', port }],
    idleTimeoutMs: 60_000,
    keepAliveIntervalMs: 0,
    maxMessageBytes: 65_535,
  });
  const counts = { forwarded: 0, unrouted: 0, sent: 0, refused: 0 };

  const forward = async ({ message, bytes, flow }: Inbound): Promise<void> => {
    const match = findSelector(message);
    if (match === undefined) {
      counts.unrouted += 1;
      return;
    }
    const data = encodeMessage(SipForward, {
      selector: match.selector,
      message: bytes.toString('base64'),
      transport: { protocol: 'udp', source: flow.remote, local: flow.local, connectionId: null },
      routerId,
      receivedAt: Date.now(),
    });
    const subject = subjects.shardSip(match.selector);
    counts.forwarded += 1;
    if (message.type === 'response' || message.method === 'ACK') {
      bus.publish(subject, data);
      return;
    }
    try {
      const reply = await bus.request(subject, data, { timeoutMs: 2000 });
      if (!decodeReply(SipForwardAck, reply.data).ok) counts.refused += 1;
    } catch {
      counts.refused += 1; // a real router answers 503 here
    }
  };

  const send = async (data: Uint8Array): Promise<RouterSendResult> => {
    const request = decodeMessage(RouterSend, data);
    const { protocol, address, port: to } = request.target;
    try {
      await transport.send({ protocol, address, port: to }, Buffer.from(request.message, 'base64'));
      counts.sent += 1;
      return { status: 'sent', connectionId: null, routerId };
    } catch (error) {
      return {
        status: 'failed',
        connectionId: null,
        routerId,
        error: { code: 'SEND_FAILED', message: String(error).slice(0, 1024) },
      };
    }
  };

  transport.onMessage((inbound) => void forward(inbound));
  transport.onInvalid(() => (counts.unrouted += 1));
  await transport.start();
  const subs: Subscription[] = [subjects.routerSip(routerId), subjects.routerAny].map((subject) =>
    bus.subscribe(
      subject,
      (m) => {
        void send(m.data).then((result) => m.respond(encodeMessage(RouterSendResult, result)));
      },
      subject === subjects.routerAny ? { queue: QueueGroup.Router } : {},
    ),
  );
  return {
    routerId,
    port,
    counts,
    async stop() {
      for (const s of subs) s.unsubscribe();
      await transport.stop();
    },
  };
}
