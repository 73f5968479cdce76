import { sippReply, sippRequest, sippScenario, sippSend } from './scenario.js';

describe('SIPp scenario pieces', () => {
  it('writes a request of the call, with the dialog keywords for ACK and BYE', () => {
    expect(sippRequest('OPTIONS', 'sip:probe@[remote_ip]', { viaParams: ';rport' })).toBe(
      [
        'OPTIONS sip:probe@[remote_ip] SIP/2.0',
        'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport',
        'From: <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]',
        'To: <sip:[service]@[remote_ip]:[remote_port]>',
        'Call-ID: [call_id]',
        'CSeq: 1 OPTIONS',
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
      ].join('\n'),
    );
    const bye = sippRequest('BYE', '[next_url]', { cseq: 2, inDialog: true, to: '<sip:b@x>' });
    expect(bye).toContain(
      '\nTo: <sip:b@x>[peer_tag_param]\nCall-ID: [call_id]\nCSeq: 2 BYE\n[routes]\n',
    );
  });

  it('writes a reply to the last request, with SIPp tag and body when asked', () => {
    expect(sippReply(200, 'OK')).toBe(
      [
        'SIP/2.0 200 OK',
        '[last_Via:]',
        '[last_From:]',
        '[last_To:]',
        '[last_Call-ID:]',
        '[last_CSeq:]',
        'Content-Length: 0',
        '',
      ].join('\n'),
    );
    const ok = sippReply(200, 'OK', {
      toTag: true,
      headers: ['Content-Type: application/sdp'],
      body: 'v=0',
    });
    expect(ok).toContain('[last_To:];tag=[pid]SIPpTag01[call_number]\n');
    expect(ok.endsWith('Content-Type: application/sdp\nContent-Length: [len]\n\nv=0')).toBe(true);
  });

  it('wraps sends in CDATA and steps in one scenario document', () => {
    const xml = sippScenario('probe', [
      sippSend('X', { retransMs: 500 }),
      '<recv response="200"/>',
    ]);
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="ISO-8859-1" ?>',
        '<scenario name="probe">',
        '  <send retrans="500">',
        '    <![CDATA[',
        'X',
        '    ]]>',
        '  </send>',
        '  <recv response="200"/>',
        '</scenario>',
        '',
      ].join('\n'),
    );
  });
});
