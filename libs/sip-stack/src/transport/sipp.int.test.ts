// The socket transports against a real SIP peer: SIPp as a UAC whose OPTIONS we answer by the
// Via rules, and as a UAS whose 200 comes back to our listening port (UDP) or on our connection.
import { createResponse } from '@sipwake/sip-parser';
import type { SipRequest } from '@sipwake/sip-parser';
import {
  assertSippSucceeded,
  runSipp,
  sippReply,
  sippRequest,
  sippScenario,
  sippSend,
  startSipp,
} from '@sipwake/testkit';
import type { SippHandle } from '@sipwake/testkit';
import { createTestTransports } from '../test-support/test-transports.js';
import { responseTarget } from './via.js';

const UAC = sippScenario('OPTIONS with rport', [
  sippSend(
    sippRequest('OPTIONS', 'sip:probe@[remote_ip]:[remote_port]', {
      to: '<sip:probe@[remote_ip]:[remote_port]>',
      viaParams: ';rport',
    }),
  ),
  '<recv response="200"/>',
]);

const UAS = sippScenario('answers OPTIONS', [
  '<recv request="OPTIONS"/>',
  sippSend(sippReply(200, 'OK', { toTag: true })),
]);

const transports = createTestTransports();
const peers: SippHandle[] = [];

afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.stop()));
  await transports.stopAll();
});

const listenOn = (protocol: 'udp' | 'tcp') => transports.listen(protocol);

describe.each(['udp', 'tcp'] as const)('SIPp over %s', (protocol) => {
  it('answers a SIPp OPTIONS by the Via rules', async () => {
    const ours = await listenOn(protocol);
    ours.transport.onMessage(({ message, flow }) => {
      if (message.type !== 'request') return;
      const response = createResponse(message, 200, 'OK', { toTag: 'ours' });
      void ours.transport.send(responseTarget(message.topVia(), flow), response);
    });
    const result = await runSipp({
      scenario: UAC,
      transport: protocol,
      target: `127.0.0.1:${ours.port}`,
      timeoutMs: 10_000,
    });
    assertSippSucceeded(result);
    const request = ours.probe.messages[0]!;
    const via = (request.message as SipRequest).topVia();
    expect(via.rport).toBe(request.flow.remote.port);
    expect(via.received).toBe('127.0.0.1');
  });

  it('gets the 200 of a SIPp UAS back', async () => {
    const ours = await listenOn(protocol);
    const sipp = await startSipp({ scenario: UAS, transport: protocol, timeoutMs: 10_000 });
    peers.push(sipp);
    const token = protocol.toUpperCase();
    const request = [
      `OPTIONS sip:sipp@127.0.0.1:${sipp.port} SIP/2.0`,
      `Via: SIP/2.0/${token} 127.0.0.1:${ours.port};branch=z9hG4bK-sipp-1;rport`,
      'From: <sip:ours@127.0.0.1>;tag=o1',
      `To: <sip:sipp@127.0.0.1:${sipp.port}>`,
      'Call-ID: sipp-uas-1@test',
      'CSeq: 1 OPTIONS',
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    const sent = await ours.transport.send(
      { protocol, address: '127.0.0.1', port: sipp.port },
      Buffer.from(request),
    );
    const response = await ours.probe.nextMessage();
    expect(response.message.type === 'response' && response.message.status).toBe(200);
    expect(response.message.callId()).toBe('sipp-uas-1@test');
    if (protocol === 'udp') expect(response.flow.local.port).toBe(ours.port);
    else expect(response.flow.connectionId).toBe(sent.connectionId);
    assertSippSucceeded(await sipp.done);
  });
});
