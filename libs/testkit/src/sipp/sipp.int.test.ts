import { sipMethod, sipResponseFor, sipRequest, sipStatus } from '../sip-text.js';
import { createUdpPeer, type UdpPeer } from '../udp-peer.js';
import { SippExit } from './exit-codes.js';
import { sippReply, sippRequest, sippScenario, sippSend } from './scenario.js';
import { assertSippSucceeded, runSipp, startSipp, type SippHandle } from './sipp.js';

const OPTIONS_UAC = sippScenario('options-uac', [
  sippSend(sippRequest('OPTIONS', 'sip:[service]@[remote_ip]:[remote_port]'), { retransMs: 500 }),
  '<recv response="200"/>',
]);

const OPTIONS_UAS = sippScenario('options-uas', [
  '<recv request="OPTIONS"/>',
  sippSend(sippReply(200, 'OK', { toTag: true })),
]);

describe('SIPp', () => {
  let responder: UdpPeer | undefined;
  let uas: SippHandle | undefined;
  afterEach(async () => {
    await responder?.close();
    await uas?.stop();
    responder = undefined;
    uas = undefined;
  });

  it('runs a UAC OPTIONS scenario against a node responder and exits 0', async () => {
    responder = await createUdpPeer();
    const peer = responder;
    const seen: string[] = [];
    peer.onDatagram((d) => {
      seen.push(sipMethod(d.text) ?? '');
      void peer.send(
        sipResponseFor(d.text, 200, 'OK', { toTag: 'r1' }),
        d.from.port,
        d.from.address,
      );
    });

    const result = await runSipp({
      scenario: OPTIONS_UAC,
      target: `127.0.0.1:${peer.port}`,
      calls: 3,
      timeoutMs: 10000,
    });
    assertSippSucceeded(result);
    expect(result.exitCode).toBe(SippExit.AllCallsSucceeded);
    expect(result.stats).toMatchObject({ successfulCalls: 3, failedCalls: 0 });
    expect(seen).toEqual(['OPTIONS', 'OPTIONS', 'OPTIONS']);
    expect(result.counts).toMatchObject({ '0_OPTIONS_Sent': 3, '1_200_Recv': 3 });
    expect(result.messages).toContain('OPTIONS sip:');
  });

  it('exits 255 on its global timeout when nobody answers, with a readable summary', async () => {
    responder = await createUdpPeer(); // receives and never answers
    const result = await runSipp({
      scenario: OPTIONS_UAC,
      target: `127.0.0.1:${responder.port}`,
      timeoutMs: 1000,
    });
    expect(result.exitCode).toBe(SippExit.FatalErrorOrTimeout);
    expect(result.killed).toBe(false);
    expect(result.summary).toMatch(/^SIPp 255/);
    expect(() => assertSippSucceeded(result)).toThrow(/255/);
    expect(responder.pending().length).toBeGreaterThanOrEqual(1);
  });

  it('starts a UAS that is listening before the caller sends, and reports its end', async () => {
    uas = await startSipp({ scenario: OPTIONS_UAS, timeoutMs: 10000 });
    responder = await createUdpPeer();
    await responder.send(
      sipRequest({
        method: 'OPTIONS',
        uri: `sip:uas@127.0.0.1:${uas.port}`,
        local: { address: '127.0.0.1', port: responder.port },
        from: 'sip:caller@127.0.0.1',
        to: `sip:uas@127.0.0.1:${uas.port}`,
      }),
      uas.port,
    );
    const answer = await responder.next({ timeoutMs: 3000, what: "the SIPp UAS's 200" });
    expect(sipStatus(answer.text)).toBe(200);
    const result = await uas.done;
    assertSippSucceeded(result);
    expect(result.stats?.successfulCalls).toBe(1);
  });

  it('stops a UAS that is still waiting', async () => {
    uas = await startSipp({ scenario: OPTIONS_UAS, timeoutMs: 30000 });
    const result = await uas.stop();
    // SIGUSR1 is SIPp's soft exit: it ends by itself (no KILL), having taken no call.
    expect(result.signal).toBeNull();
    expect(result.killed).toBe(false);
    expect(result.stats?.totalCallsCreated).toBe(0);
  });
});
