import { createInProcessBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import {
  decodeMessage,
  DeviceToken,
  encodeMessage,
  ErrorReply,
  RecordAck,
  subjects,
} from '@sipwake/contracts';
import { createManualClock } from '@sipwake/sip-stack';
import type { ManualClock } from '@sipwake/sip-stack';
import { waitFor } from '@sipwake/testkit';
import { silentLog } from '../calls/test-support/harness.js';
import { createBusDeviceTokenSink } from './token-sink.js';

const record: DeviceToken = {
  selector: 'c'.repeat(40),
  deviceId: 'dev-1',
  provider: 'apns',
  token: 'apns-token-NEW',
  at: 1_800_000_000_000,
};

type Answer = 'ack' | 'retryable' | 'refused';

describe('device tokens over the bus', () => {
  let bus: Bus;
  let clock: ManualClock;
  let received: DeviceToken[];
  let answers: Answer[];

  beforeEach(() => {
    bus = createInProcessBus();
    clock = createManualClock();
    received = [];
    answers = [];
    bus.subscribe(subjects.stateDeviceToken, (m) => {
      received.push(decodeMessage(DeviceToken, m.data));
      const answer = answers.shift() ?? 'ack';
      if (answer === 'ack') {
        m.respond(encodeMessage(RecordAck, { outcome: 'written' }));
        return;
      }
      const retryable = answer === 'retryable';
      m.respond(
        encodeMessage(ErrorReply, {
          error: { code: retryable ? 'STORE_FAILED' : 'INVALID_REQUEST', message: 'no', retryable },
        }),
      );
    });
  });

  afterEach(async () => {
    await bus.close();
  });

  const sinkWith = (log = silentLog()) => ({
    log,
    sink: createBusDeviceTokenSink({
      bus,
      clock,
      log,
      timeoutMs: 1000,
      retryMs: 1000,
      attempts: 3,
    }),
  });

  it('resends the same record after a retryable failure, waiting retryMs, until acked', async () => {
    answers.push('retryable');
    const { log, sink } = sinkWith();
    sink.deviceToken(record);
    await waitFor(() => log.lines.includes('info device token not recorded yet'), {
      timeoutMs: 2000,
    });
    clock.advance(999);
    expect(received).toHaveLength(1);
    clock.advance(1);
    await waitFor(() => log.lines.includes('debug device token recorded'), { timeoutMs: 2000 });
    expect(received).toEqual([record, record]);
    sink.stop();
  });

  it('gives up after its attempts, logging without the token', async () => {
    answers.push('retryable', 'retryable', 'retryable');
    const entries: { line: string; fields: object }[] = [];
    const at =
      (level: string) =>
      (fields: object, message: string): void =>
        void entries.push({ line: `${level} ${message}`, fields });
    const log = {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: () => log,
    };
    const sink = createBusDeviceTokenSink({
      bus,
      clock,
      log,
      timeoutMs: 1000,
      retryMs: 1000,
      attempts: 3,
    });
    const count = (line: string) => entries.filter((e) => e.line === line).length;
    sink.deviceToken(record);
    // Each failed try arms one resend: fire it once it is armed (1 s, then 2 s).
    for (const tries of [1, 2]) {
      await waitFor(() => count('info device token not recorded yet') === tries, {
        timeoutMs: 2000,
      });
      clock.advance(1000 * 2 ** (tries - 1));
    }
    await waitFor(
      () => count('warn device token not recorded: the store keeps the old one') === 1,
      {
        timeoutMs: 2000,
      },
    );
    expect(received).toHaveLength(3);
    expect(JSON.stringify(entries)).not.toContain('apns-token-NEW');
    sink.stop();
  });

  it('does not resend a refused record, nor after stop()', async () => {
    answers.push('refused');
    const { log, sink } = sinkWith();
    sink.deviceToken(record);
    await waitFor(() => log.lines.includes('warn device token refused'), { timeoutMs: 2000 });
    clock.advance(60_000);

    answers.push('retryable');
    sink.deviceToken({ ...record, at: record.at + 1 });
    await waitFor(() => log.lines.includes('info device token not recorded yet'), {
      timeoutMs: 2000,
    });
    sink.stop();
    clock.advance(60_000);
    sink.deviceToken({ ...record, at: record.at + 2 });
    expect(received.map((r) => r.at)).toEqual([record.at, record.at + 1]);
  });
});
