// The contract every Bus implementation passes: run by in-process.test.ts against the
// in-process bus and by nats.int.test.ts against a real nats-server. Tests wait on messages,
// never on sleeps; "nothing else arrived" is shown by a later sentinel message, which the bus
// delivers after everything published before it.
import { randomUUID } from 'node:crypto';
import { BusError } from './errors.js';
import type { Bus, BusMessage } from './types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (text: string): Uint8Array => encoder.encode(text);
const text = (data: Uint8Array): string => decoder.decode(data);

interface Collector {
  readonly messages: BusMessage[];
  readonly handler: (message: BusMessage) => void;
  /** Resolves once `count` messages arrived; rejects after timeoutMs naming what is missing. */
  waitFor(count: number, timeoutMs?: number): Promise<BusMessage[]>;
}

function collector(): Collector {
  const messages: BusMessage[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  return {
    messages,
    handler: (message) => {
      messages.push(message);
      for (const waiter of [...waiters]) {
        if (messages.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    },
    waitFor: (count, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        if (messages.length >= count) return resolve(messages);
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`waited for ${count} messages, got ${messages.length}`));
        }, timeoutMs);
        const waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(messages);
          },
        };
        waiters.push(waiter);
      }),
  };
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

export function runBusContract(name: string, makeBus: () => Promise<Bus>): void {
  describe(`Bus contract: ${name}`, () => {
    let bus: Bus;
    let prefix: string;
    /** A subject unique to this test (a shared server may carry other traffic). */
    const subject = (rest: string): string => `${prefix}.${rest}`;

    /** Publishes a sentinel on its own subscription and waits for it: earlier messages are in. */
    async function settle(): Promise<void> {
      const sentinel = collector();
      const sub = bus.subscribe(subject('sentinel'), sentinel.handler);
      await bus.flush();
      bus.publish(subject('sentinel'), bytes('.'));
      await sentinel.waitFor(1);
      sub.unsubscribe();
    }

    beforeEach(async () => {
      prefix = `t${randomUUID().replaceAll('-', '')}`;
      bus = await makeBus();
    });
    afterEach(async () => {
      await bus.close();
    });

    it('delivers a published message with its subject, bytes and no headers', async () => {
      const got = collector();
      bus.subscribe(subject('a'), got.handler);
      await bus.flush();
      bus.publish(subject('a'), bytes('hello'));
      const [message] = await got.waitFor(1);
      expect(message!.subject).toBe(subject('a'));
      expect(text(message!.data)).toBe('hello');
      expect(message!.headers).toEqual({});
      expect(message!.reply).toBeUndefined();
      expect(message!.respond(bytes('no one asked'))).toBe(false);
    });

    it('never calls a handler inside publish', async () => {
      const got = collector();
      bus.subscribe(subject('async'), got.handler);
      await bus.flush();
      bus.publish(subject('async'), bytes('1'));
      expect(got.messages).toHaveLength(0);
      await got.waitFor(1);
    });

    it('gives each subscriber its own bytes', async () => {
      const first = collector();
      const second = collector();
      bus.subscribe(subject('copy'), (message) => {
        message.data[0] = 0x7a;
        first.handler(message);
      });
      bus.subscribe(subject('copy'), second.handler);
      await bus.flush();
      bus.publish(subject('copy'), bytes('abc'));
      await first.waitFor(1);
      const [message] = await second.waitFor(1);
      expect(text(first.messages[0]!.data)).toBe('zbc');
      expect(text(message!.data)).toBe('abc');
    });

    it("matches '*' to exactly one token", async () => {
      const got = collector();
      bus.subscribe(subject('star.*'), got.handler);
      await bus.flush();
      for (const rest of ['star', 'star.x', 'star.x.y', 'star.y', 'other.x']) {
        bus.publish(subject(rest), bytes(rest));
      }
      await settle();
      expect(got.messages.map((m) => text(m.data))).toEqual(['star.x', 'star.y']);
    });

    it("matches '*' in the middle and '>' to one or more trailing tokens", async () => {
      const tail = collector();
      const middle = collector();
      bus.subscribe(subject('gt.>'), tail.handler);
      bus.subscribe(subject('*.x.>'), middle.handler);
      await bus.flush();
      for (const rest of ['gt', 'gt.x', 'gt.x.y.z', 'gty.x', 'ab.x', 'ab.x.1']) {
        bus.publish(subject(rest), bytes(rest));
      }
      await settle();
      expect(tail.messages.map((m) => text(m.data))).toEqual(['gt.x', 'gt.x.y.z']);
      expect(middle.messages.map((m) => text(m.data))).toEqual(['gt.x.y.z', 'ab.x.1']);
    });

    it('gives each message to one member of a queue group, spread over every member', async () => {
      const members = [collector(), collector(), collector()];
      const otherGroup = collector();
      const plain = collector();
      for (const member of members) {
        bus.subscribe(subject('q'), member.handler, { queue: 'workers' });
      }
      bus.subscribe(subject('q'), otherGroup.handler, { queue: 'auditors' });
      bus.subscribe(subject('q'), plain.handler);
      await bus.flush();
      const count = 300;
      for (let i = 0; i < count; i++) bus.publish(subject('q'), bytes(String(i)));
      await plain.waitFor(count);
      await otherGroup.waitFor(count);
      await settle();
      const seen = members.flatMap((m) => m.messages.map((message) => text(message.data)));
      expect(seen).toHaveLength(count);
      expect(new Set(seen).size).toBe(count);
      for (const member of members) expect(member.messages.length).toBeGreaterThan(0);
    });

    it('carries headers from publisher to subscriber, as a copy', async () => {
      const got = collector();
      bus.subscribe(subject('h'), got.handler);
      await bus.flush();
      const headers: Record<string, string> = {
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        'X-Sipwake-Selector': '4/2',
      };
      bus.publish(subject('h'), bytes('x'), { headers });
      headers.traceparent = 'changed';
      const [message] = await got.waitFor(1);
      expect(message!.headers).toEqual({
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        'X-Sipwake-Selector': '4/2',
      });
    });

    it('answers a request with the reply and its headers', async () => {
      bus.subscribe(subject('echo'), (message) => {
        message.respond(bytes(`re: ${text(message.data)}`), {
          headers: { 'x-seen': message.headers['x-ask'] ?? 'none' },
        });
      });
      await bus.flush();
      const reply = await bus.request(subject('echo'), bytes('ping'), {
        timeoutMs: 2000,
        headers: { 'x-ask': 'yes' },
      });
      expect(text(reply.data)).toBe('re: ping');
      expect(reply.headers).toEqual({ 'x-seen': 'yes' });
    });

    it('answers requests made from inside a handler, 50 at once', async () => {
      const double = (m: BusMessage): void => {
        m.respond(bytes(String(Number(text(m.data)) * 2)));
      };
      bus.subscribe(subject('double'), double, { queue: 'doublers' });
      bus.subscribe(subject('front'), async (m) => {
        const inner = await bus.request(subject('double'), m.data, { timeoutMs: 2000 });
        m.respond(inner.data);
      });
      await bus.flush();
      const replies = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          bus.request(subject('front'), bytes(String(i)), { timeoutMs: 3000 }),
        ),
      );
      expect(replies.map((r) => Number(text(r.data)))).toEqual(
        Array.from({ length: 50 }, (_, i) => i * 2),
      );
    });

    it('delivers a reply subject set by hand and respond() answers on it', async () => {
      const replies = collector();
      bus.subscribe(subject('inbox'), replies.handler);
      bus.subscribe(subject('svc'), (m) => {
        expect(m.reply).toBe(subject('inbox'));
        expect(m.respond(bytes('done'))).toBe(true);
      });
      await bus.flush();
      bus.publish(subject('svc'), bytes('do'), { reply: subject('inbox') });
      const [reply] = await replies.waitFor(1);
      expect(text(reply!.data)).toBe('done');
    });

    it('rejects a request nobody answers with TIMEOUT', async () => {
      bus.subscribe(subject('mute'), () => undefined);
      await bus.flush();
      const started = Date.now();
      const error = await bus
        .request(subject('mute'), bytes('?'), { timeoutMs: 200 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BusError);
      expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true, subject: subject('mute') });
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    });

    it('rejects a request to a subject without subscribers with NO_RESPONDERS at once', async () => {
      const started = Date.now();
      const error = await bus
        .request(subject('nobody'), bytes('?'), { timeoutMs: 10_000 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BusError);
      expect(error).toMatchObject({ code: 'NO_RESPONDERS', subject: subject('nobody') });
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('stops delivery after unsubscribe, which may be called twice', async () => {
      const got = collector();
      const sub = bus.subscribe(subject('u'), got.handler);
      expect(sub.subject).toBe(subject('u'));
      expect(sub.isClosed()).toBe(false);
      await bus.flush();
      bus.publish(subject('u'), bytes('1'));
      await got.waitFor(1);
      sub.unsubscribe();
      sub.unsubscribe();
      expect(sub.isClosed()).toBe(true);
      bus.publish(subject('u'), bytes('2'));
      await settle();
      expect(got.messages.map((m) => text(m.data))).toEqual(['1']);
    });

    it('drains a subscription: messages already published are handed over, then it closes', async () => {
      const got = collector();
      const sub = bus.subscribe(subject('d'), got.handler);
      await bus.flush();
      for (let i = 0; i < 20; i++) bus.publish(subject('d'), bytes(String(i)));
      await bus.flush();
      await sub.drain();
      expect(sub.isClosed()).toBe(true);
      expect(got.messages).toHaveLength(20);
      bus.publish(subject('d'), bytes('late'));
      await settle();
      expect(got.messages).toHaveLength(20);
    });

    it('drains the bus: pending messages are handled, then it is closed for good', async () => {
      const got = collector();
      const statuses: string[] = [];
      bus.onStatus((event) => statuses.push(event.type));
      bus.subscribe(subject('bd'), got.handler);
      await bus.flush();
      for (let i = 0; i < 100; i++) bus.publish(subject('bd'), bytes(String(i)));
      await bus.drain();
      expect(got.messages).toHaveLength(100);
      expect(bus.status()).toBe('closed');
      expect(bus.isHealthy()).toBe(false);
      await expect(bus.closed()).resolves.toBeUndefined();
      expect(statuses).toEqual(['closed']);
      expect(caught(() => bus.publish(subject('bd'), bytes('x')))).toMatchObject({
        code: 'CLOSED',
      });
      expect(caught(() => bus.subscribe(subject('bd'), got.handler))).toMatchObject({
        code: 'CLOSED',
      });
      await expect(bus.request(subject('bd'), bytes('x'))).rejects.toMatchObject({
        code: 'CLOSED',
      });
      await bus.drain();
    });

    it('closes idempotently and fails a request still waiting with CLOSED', async () => {
      bus.subscribe(subject('slow'), () => undefined);
      await bus.flush();
      expect(bus.status()).toBe('connected');
      expect(bus.isHealthy()).toBe(true);
      const pending = bus.request(subject('slow'), bytes('?'), { timeoutMs: 10_000 });
      await bus.flush();
      await Promise.all([bus.close(), bus.close()]);
      await expect(pending).rejects.toMatchObject({ code: 'CLOSED' });
      await bus.close();
      expect(bus.status()).toBe('closed');
      await expect(bus.flush()).rejects.toMatchObject({ code: 'CLOSED' });
    });

    it('reports a throwing or rejecting handler and goes on delivering', async () => {
      const errors: BusError[] = [];
      bus.onError((error) => errors.push(error));
      const got = collector();
      bus.subscribe(subject('bad'), (m) => {
        got.handler(m);
        if (text(m.data) === 'throw') throw new Error('boom');
        if (text(m.data) === 'reject') return Promise.reject(new Error('later boom'));
        return undefined;
      });
      await bus.flush();
      for (const word of ['throw', 'reject', 'fine']) bus.publish(subject('bad'), bytes(word));
      await got.waitFor(3);
      await settle();
      expect(errors.map((e) => [e.code, e.subject, (e.cause as Error).message])).toEqual([
        ['HANDLER_FAILED', subject('bad'), 'boom'],
        ['HANDLER_FAILED', subject('bad'), 'later boom'],
      ]);
      expect(bus.isHealthy()).toBe(true);
    });

    it('keeps one publisher’s order', async () => {
      const got = collector();
      bus.subscribe(subject('order.>'), got.handler);
      await bus.flush();
      const count = 2000;
      for (let i = 0; i < count; i++) bus.publish(subject(`order.${i % 3}`), bytes(String(i)));
      await got.waitFor(count);
      expect(got.messages.map((m) => Number(text(m.data)))).toEqual(
        Array.from({ length: count }, (_, i) => i),
      );
    });

    it('refuses bad subjects, queue names and headers with typed errors', async () => {
      const noop = (): void => undefined;
      for (const bad of ['', 'a..b', '.a', 'a.', 'a b', 'a.*', 'a.>']) {
        expect(caught(() => bus.publish(bad, bytes('x')))).toMatchObject({ code: 'BAD_SUBJECT' });
        await expect(bus.request(bad, bytes('x'))).rejects.toMatchObject({ code: 'BAD_SUBJECT' });
      }
      for (const bad of ['', 'a..b', 'a.>.b', 'a\tb']) {
        expect(caught(() => bus.subscribe(bad, noop))).toMatchObject({ code: 'BAD_SUBJECT' });
      }
      expect(caught(() => bus.subscribe('a', noop, { queue: 'q 1' }))).toMatchObject({
        code: 'BAD_SUBJECT',
      });
      const badHeaders: Record<string, string>[] = [
        { 'bad name': 'x' },
        { '': 'x' },
        { ok: 'line\r\nbreak' },
      ];
      for (const headers of badHeaders) {
        expect(caught(() => bus.publish(subject('h'), bytes('x'), { headers }))).toMatchObject({
          code: 'BAD_HEADER',
        });
      }
    });

    it('refuses a payload over the maximum with PAYLOAD_TOO_LARGE', () => {
      const big = new Uint8Array(2 * 1024 * 1024);
      expect(caught(() => bus.publish(subject('big'), big))).toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
      });
    });
  });
}
