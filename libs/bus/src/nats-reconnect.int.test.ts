import { startNatsServer, withTimeout, type NatsServer } from '@sipwake/testkit';
import { connectBus } from './connect.js';
import type { Bus, BusLog, BusMessage, BusStatusEvent } from './types.js';

type StatusType = BusStatusEvent['type'];

/** Resolves with the next status event of this type. */
function nextStatus(bus: Bus, type: StatusType, timeoutMs = 10_000): Promise<BusStatusEvent> {
  let remove = (): void => undefined;
  const event = new Promise<BusStatusEvent>((resolve) => {
    remove = bus.onStatus((e) => {
      if (e.type === type) resolve(e);
    });
  });
  return withTimeout(event, timeoutMs, `bus status ${type}`).finally(() => remove());
}

function recordingLog(): BusLog & { lines: [string, string][] } {
  const lines: [string, string][] = [];
  const at =
    (level: string) =>
    (_fields: object, message: string): void => {
      lines.push([level, message]);
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('NATS bus reconnect', () => {
  const servers: NatsServer[] = [];
  let bus: Bus | undefined;
  afterEach(async () => {
    await bus?.close();
    for (const server of servers.splice(0)) await server.stop();
  });

  it('reconnects by itself after the server restarts on the same port, and says so', async () => {
    const first = await startNatsServer({ jetstream: false });
    servers.push(first);
    const log = recordingLog();
    bus = await connectBus({
      kind: 'nats',
      servers: first.url,
      name: 'bus-reconnect',
      reconnectTimeWaitMs: 50,
      reconnectJitterMs: 50,
      log,
    });
    const events: StatusType[] = [];
    bus.onStatus((e) => events.push(e.type));
    const received: string[] = [];
    let arrived: (message: BusMessage) => void = () => undefined;
    bus.subscribe('sw.control.ping', (message) => {
      received.push(new TextDecoder().decode(message.data));
      arrived(message);
    });
    const waitMessage = (): Promise<BusMessage> =>
      withTimeout(new Promise<BusMessage>((resolve) => (arrived = resolve)), 5000, 'a message');

    let next = waitMessage();
    bus.publish('sw.control.ping', new TextEncoder().encode('before'));
    await next;
    expect(bus.isHealthy()).toBe(true);

    const disconnected = nextStatus(bus, 'disconnected');
    const reconnecting = nextStatus(bus, 'reconnecting');
    await first.stop();
    await disconnected;
    expect(bus.isHealthy()).toBe(false);
    expect(bus.status()).toBe('reconnecting');
    await expect(reconnecting).resolves.toMatchObject({ attempt: 1 });

    const reconnected = nextStatus(bus, 'reconnected', 15_000);
    // The same client port again (a later -p wins over the one startNatsServer picks).
    const second = await startNatsServer({ jetstream: false, args: ['-p', String(first.port)] });
    servers.push(second);
    await expect(reconnected).resolves.toMatchObject({ server: `127.0.0.1:${first.port}` });
    expect(bus.isHealthy()).toBe(true);
    expect(bus.status()).toBe('connected');

    next = waitMessage();
    bus.publish('sw.control.ping', new TextEncoder().encode('after'));
    await next;
    expect(received).toEqual(['before', 'after']);

    expect(events.slice(0, 2)).toEqual(['disconnected', 'reconnecting']);
    expect(events.at(-1)).toBe('reconnected');
    const messages = log.lines.map(([level, message]) => `${level}: ${message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'info: bus connected',
        'warn: bus disconnected; reconnecting',
        'info: bus reconnecting',
        'info: bus reconnected',
      ]),
    );
  });

  it('fails the first connection with CONNECT_FAILED, naming no password', async () => {
    const server = await startNatsServer({ jetstream: false });
    servers.push(server);
    const port = server.port;
    await server.stop();
    const error = await connectBus({
      kind: 'nats',
      servers: `nats://alice:s3cret@127.0.0.1:${port}`,
      connectTimeoutMs: 1000,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONNECT_FAILED', retryable: true });
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    expect((error as Error).message).not.toContain('s3cret');
  });
});
