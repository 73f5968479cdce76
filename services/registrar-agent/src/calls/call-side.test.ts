import { createInProcessBus } from '@sipwake/bus';
import type { Bus } from '@sipwake/bus';
import { subjects } from '@sipwake/contracts';
import { createRequest } from '@sipwake/sip-parser';
import type { SipResponse } from '@sipwake/sip-parser';
import type { CallSide } from '../ports.js';
import { device } from './test-support/fake-directory.js';
import { ACCOUNT, sendInvite, wireCallSide } from './test-support/calls-harness.js';
import { createHarness, type Endpoint, type Harness } from './test-support/harness.js';

describe('the call side dispatch', () => {
  let h: Harness;
  let side: CallSide;
  let selector: string;
  let peer: Endpoint;
  let bus: Bus;

  beforeEach(async () => {
    h = await createHarness();
    bus = createInProcessBus();
    selector = h.directory.add(ACCOUNT, [device('dev-1', 'apns-token-1')]);
    side = wireCallSide(h, { bus, busRequestTimeoutMs: 1000 });
    peer = await h.endpoint(5080, 'bob');
  });

  afterEach(async () => {
    await side.stop();
    await h.stop();
    await bus.close();
  });

  let n = 0;
  const request = async (
    method: string,
    extra: [string, string][] = [],
    toTag?: string,
  ): Promise<SipResponse> => {
    n++;
    const finals: SipResponse[] = [];
    peer.layer.sendRequest(
      createRequest({
        method,
        uri: `sip:${selector}@127.0.0.1:${h.agent.port}`,
        headers: [
          ...(extra.some(([name]) => name === 'Max-Forwards')
            ? []
            : [['Max-Forwards', '70'] as [string, string]]),
          ['From', `<sip:bob@example.test>;tag=d${n}`],
          ['To', `<sip:${selector}@example.test>${toTag ? `;tag=${toTag}` : ''}`],
          ['Call-ID', `dispatch-${n}`],
          ['CSeq', `1 ${method}`],
          ...extra,
        ],
      }),
      h.agent.target,
      { final: (r) => finals.push(r) },
    );
    await h.settle();
    expect(finals).toHaveLength(1);
    return finals[0]!;
  };

  it('answers OPTIONS 200 with Allow, an unknown method 405, a BYE outside a dialog 481', async () => {
    const options = await request('OPTIONS');
    expect(options.status).toBe(200);
    expect(options.headers.get('allow')).toContain('MESSAGE');
    expect((await request('SUBSCRIBE')).status).toBe(405);
    expect((await request('BYE')).status).toBe(481);
  });

  it('answers 481 to a request within a dialog it does not know', async () => {
    expect((await request('INFO', [], 'unknown-tag')).status).toBe(481);
  });

  it('refuses an INVITE that ran out of hops with 483, without a push', async () => {
    expect((await request('INVITE', [['Max-Forwards', '0']])).status).toBe(483);
    expect(h.push.requests).toEqual([]);
  });

  it('stores a MESSAGE through the state-persister subject when given the bus', async () => {
    bus.subscribe(subjects.stateMessage, (m) => {
      m.respond(Buffer.from(JSON.stringify({ outcome: 'written' })));
    });
    const response = await request('MESSAGE', [['Content-Type', 'text/plain']]);
    expect(response.status).toBe(202);
  });

  it('answers 503 to what is pending when it stops, and to anything new after', async () => {
    const invite = sendInvite(peer, h, selector);
    await h.settle();
    await side.stop();
    await h.settle();
    expect(invite.finals.map((r) => r.status)).toEqual([503]);
    expect((await request('OPTIONS')).status).toBe(503);
  });
});
