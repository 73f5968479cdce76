import { createInProcessBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import { DeadToken, decodeMessage, subjects } from '@sipwake/contracts';
import { waitFor } from '@sipwake/testkit';
import { createBusDeadTokenSink } from './dead-tokens.js';
import { silentLog } from './test-support/harness.js';

describe('dead tokens over the bus', () => {
  let bus: Bus;
  beforeEach(() => {
    bus = createInProcessBus();
  });
  afterEach(async () => {
    await bus.close();
  });

  it('sends DeadToken to the state-persister subject and logs its answer', async () => {
    const seen: DeadToken[] = [];
    bus.subscribe(subjects.stateDeadToken, (m) => {
      seen.push(decodeMessage(DeadToken, m.data));
      m.respond(Buffer.from(JSON.stringify({ outcome: 'written' })));
    });
    const log = silentLog();
    const sink = createBusDeadTokenSink({ bus, timeoutMs: 1000, log });
    const report = {
      selector: 'c'.repeat(40),
      deviceId: 'dev-1',
      token: 'apns-token-1',
      reason: 'unregistered' as const,
    };
    sink.deadToken(report);
    await waitFor(() => log.lines.includes('debug dead token recorded'), { timeoutMs: 2000 });
    expect(seen).toEqual([report]);
  });

  it('logs a report nobody took, and never throws', async () => {
    const log = silentLog();
    const sink = createBusDeadTokenSink({ bus, timeoutMs: 100, log });
    expect(() =>
      sink.deadToken({ selector: 'c'.repeat(40), deviceId: 'd', token: 't', reason: 'bad-token' }),
    ).not.toThrow();
    await waitFor(() => log.lines.includes('warn dead token not recorded'), { timeoutMs: 2000 });
  });
});
