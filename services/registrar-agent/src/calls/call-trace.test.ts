import type { CallRecord } from '@sipwake/contracts';
import type { Dialog, UserAgent } from '@sipwake/sip-stack';
import { createTestTracing, type TestTracing } from '@sipwake/telemetry';
import type { CallSide } from '../ports.js';
import { createCallSide } from './call-side.js';
import { device } from './test-support/fake-directory.js';
import { ACCOUNT, deviceEndpoint } from './test-support/calls-harness.js';
import { createHarness, type Endpoint, type Harness } from './test-support/harness.js';

interface Written {
  readonly record: CallRecord;
  readonly traceHeaders: Readonly<Record<string, string>> | undefined;
}

/** The trace id a W3C traceparent names. */
const traceIdOf = (traceparent: string | undefined): string | undefined =>
  traceparent?.split('-')[1];

describe("a call's record and the call's trace", () => {
  let tracing: TestTracing;
  let h: Harness;
  let side: CallSide;
  let caller: Endpoint & { readonly ua: UserAgent };
  const written: Written[] = [];

  beforeEach(async () => {
    tracing = await createTestTracing('registrar-agent');
    h = await createHarness();
    side = createCallSide({
      layer: h.agent.layer,
      directory: h.directory,
      push: h.push,
      clock: h.clock,
      log: h.log,
      config: h.config,
      nonceSecret: Buffer.alloc(32, 7),
      callRecorder: {
        record: (record, traceHeaders) => void written.push({ record, traceHeaders }),
      },
    });
    // As in the service: each SIP message is handled in a span of its own (a trace per message
    // at the router), named after its method.
    h.agent.layer.onRequest((tx) => {
      void tracing.withSpan(`sip ${tx.request.method}`, {}, () => side.handleRequest(tx));
    });
    h.agent.layer.onCancel((cancel, invite) => side.handleCancel(cancel, invite));
    h.agent.layer.onStrayAck((inbound, invite) => side.handleStrayAck(inbound, invite));
    h.agent.layer.onStrayResponse((inbound) => side.handleStrayResponse(inbound));
    caller = await h.endpoint(5080, 'bob');
  });

  afterEach(async () => {
    await side.stop();
    await h.stop();
    await tracing.shutdown();
  });

  const spanTrace = (name: string): string[] =>
    tracing.exporter
      .getFinishedSpans()
      .filter((s) => s.name === name)
      .map((s) => s.spanContext().traceId);

  it("an answered call's record, written at the BYE, carries the INVITE's trace context", async () => {
    const selector = h.directory.add(ACCOUNT, [device('dev-1', 'apns-token-1')]);
    const phone = await deviceEndpoint(h, 5090, 'phone', selector);
    const registering = phone.registration.register(60);
    await h.settle();
    await registering;
    const answered: Promise<Dialog>[] = [];
    phone.ua.onInvite((call) => answered.push(call.answer({ sdp: 'v=0\r\n' })));

    const calling = caller.ua.invite({
      uri: `sip:${selector}@127.0.0.1:${h.agent.port}`,
      from: 'sip:bob@example.test',
      target: h.agent.target,
      sdp: 'v=0\r\n',
    });
    await h.settle();
    const callerDialog = await calling;
    await answered[0]!;
    const bye = callerDialog.bye();
    await h.settle();
    expect((await bye).status).toBe(200);

    expect(written.map((w) => w.record.outcome)).toEqual(['answered']);
    const [inviteTrace] = spanTrace('sip INVITE');
    const [byeTrace] = spanTrace('sip BYE');
    expect(inviteTrace).toMatch(/^[0-9a-f]{32}$/);
    expect(byeTrace).not.toBe(inviteTrace);
    expect(traceIdOf(written[0]!.traceHeaders?.['traceparent'])).toBe(inviteTrace);
  });
});
