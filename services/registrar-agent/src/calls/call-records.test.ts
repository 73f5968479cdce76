import { createInProcessBus } from '@sipwake/bus';
import { CallRecord, decodeMessage, subjects } from '@sipwake/contracts';
import { waitFor } from '@sipwake/testkit';
import { callRecord, createBusCallRecorder } from './call-records.js';
import { silentLog } from './test-support/harness.js';

describe('call records over the bus', () => {
  it('writes a schema-valid CallRecord to the state-persister subject', async () => {
    const bus = createInProcessBus();
    const seen: CallRecord[] = [];
    bus.subscribe(subjects.stateCallRecord, (m) => {
      seen.push(decodeMessage(CallRecord, m.data));
      m.respond(Buffer.from(JSON.stringify({ outcome: 'written' })));
    });
    const recorder = createBusCallRecorder({ bus, timeoutMs: 1000, log: silentLog() });
    const record = callRecord(
      {
        selector: 'd'.repeat(40),
        callId: 'c-1',
        caller: 'sip:bob@example.test',
        startedAt: 1000,
        pushStatus: 'Device-Making-Progress',
      },
      'answered',
      { answeredAt: 2000, endedAt: 3000 },
    );
    recorder.record(record);
    await waitFor(() => seen.length === 1, { timeoutMs: 2000 });
    expect(seen).toEqual([record]);
    await bus.close();
  });

  it("sends the call's trace context when given one, else the active one", async () => {
    const bus = createInProcessBus();
    const traceparents: (string | undefined)[] = [];
    bus.subscribe(subjects.stateCallRecord, (m) => {
      traceparents.push(m.headers['traceparent']);
      m.respond(Buffer.from(JSON.stringify({ outcome: 'written' })));
    });
    const active = '00-' + 'b'.repeat(32) + '-' + 'c'.repeat(16) + '-01';
    const ofCall = '00-' + 'd'.repeat(32) + '-' + 'e'.repeat(16) + '-01';
    const recorder = createBusCallRecorder({
      bus,
      timeoutMs: 1000,
      log: silentLog(),
      headers: () => ({ traceparent: active }),
    });
    const record = callRecord(
      { selector: 'd'.repeat(40), callId: 'c-3', caller: null, startedAt: 1, pushStatus: null },
      'answered',
      { answeredAt: 2, endedAt: 3 },
    );
    recorder.record(record, { traceparent: ofCall });
    await waitFor(() => traceparents.length === 1, { timeoutMs: 2000 });
    recorder.record(record);
    await waitFor(() => traceparents.length === 2, { timeoutMs: 2000 });
    expect(traceparents).toEqual([ofCall, active]);
    await bus.close();
  });

  it('logs a record nobody took', async () => {
    const bus = createInProcessBus();
    const log = silentLog();
    const recorder = createBusCallRecorder({ bus, timeoutMs: 100, log });
    recorder.record(
      callRecord(
        { selector: 'd'.repeat(40), callId: 'c-2', caller: null, startedAt: 1, pushStatus: null },
        'missed',
        { answeredAt: null, endedAt: 2 },
      ),
    );
    await waitFor(() => log.lines.includes('warn call record not written'), { timeoutMs: 2000 });
    await bus.close();
  });
});
