// Hand-made SIP for the call-path benchmarks: a registrar stub that answers every REGISTER
// 200 at once, and a caller that sends INVITEs with a timestamp each and ACKs final answers.
// Text helpers only (the code under test has the parser); header lookups by regular expression.
import dgram from 'node:dgram';

const CRLF = '\r\n';

export function header(text, name) {
  const match = new RegExp(`^${name}[ \\t]*:[ \\t]*(.*)$`, 'im').exec(text);
  return match?.[1]?.trim();
}

const statusOf = (text) => Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1] ?? 0);

function bindUdp(port = 0) {
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 * 2 ** 20 });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

/** A registrar that answers REGISTER 200 (Contact and expires as asked) and OPTIONS 200. */
export async function startRegistrarStub() {
  const socket = await bindUdp();
  const aors = new Set();
  let registers = 0;
  socket.on('message', (data, peer) => {
    const text = data.toString('latin1');
    const method = /^([A-Z]+) /.exec(text)?.[1];
    if (method !== 'REGISTER' && method !== 'OPTIONS') return;
    const to = header(text, 'To') ?? header(text, 't') ?? '';
    const lines = [
      'SIP/2.0 200 OK',
      ...text
        .split(CRLF)
        .filter((l) => /^(Via|v)[ \t]*:/i.test(l))
        .map((l) => l.replace(/^v[ \t]*:/, 'Via:')),
      `From: ${header(text, 'From') ?? header(text, 'f')}`,
      `To: ${to}${/;tag=/.test(to) ? '' : ';tag=stub'}`,
      `Call-ID: ${header(text, 'Call-ID') ?? header(text, 'i')}`,
      `CSeq: ${header(text, 'CSeq')}`,
    ];
    if (method === 'REGISTER') {
      registers += 1;
      aors.add(/sip:([^@>;]+)@/.exec(to)?.[1] ?? to);
      const contact = header(text, 'Contact') ?? header(text, 'm');
      const expires = header(text, 'Expires') ?? '3600';
      if (contact !== undefined && contact !== '*') {
        lines.push(`Contact: ${contact.replace(/;expires=\d+/, '')};expires=${expires}`);
      }
    }
    lines.push('Content-Length: 0', '', '');
    socket.send(Buffer.from(lines.join(CRLF), 'latin1'), peer.port, peer.address);
  });
  return {
    port: socket.address().port,
    registers: () => registers,
    /** Distinct users that were answered 200 to a REGISTER. */
    registeredUsers: () => aors.size,
    close: () => new Promise((resolve) => socket.close(resolve)),
  };
}

const SDP = [
  'v=0',
  'o=caller 2890844526 2890844526 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=sendrecv',
  '',
].join(CRLF);

function inviteText(call, local) {
  return [
    `INVITE ${call.uri} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${call.id};rport`,
    'Max-Forwards: 70',
    `From: "Bench Caller" <sip:caller@upstream.test>;tag=c${call.id}`,
    `To: <${call.uri}>`,
    `Call-ID: ${call.callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:caller@127.0.0.1:${local}>`,
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(SDP)}`,
    '',
    SDP,
  ].join(CRLF);
}

function ackText(call, local, to) {
  return [
    `ACK ${call.uri} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${call.id};rport`,
    'Max-Forwards: 70',
    `From: "Bench Caller" <sip:caller@upstream.test>;tag=c${call.id}`,
    `To: ${to}`,
    `Call-ID: ${call.callId}`,
    'CSeq: 1 ACK',
    'Content-Length: 0',
    '',
    '',
  ].join(CRLF);
}

/**
 * The caller: `send(call)` sends one INVITE (call: { id, callId, uri }) to `target` and keeps
 * its send time; responses are recorded per Call-ID (first 180, push status, final) and final
 * answers ≥ 300 are ACKed (RFC 3261 §17.1.1.3), so the agent's transactions end normally.
 */
export async function createCaller(targetPort) {
  const socket = await bindUdp();
  const local = socket.address().port;
  const calls = new Map();
  let responses = 0;
  socket.on('message', (data) => {
    const text = data.toString('latin1');
    const status = statusOf(text);
    if (status === 0) return;
    responses += 1;
    const call = calls.get(header(text, 'Call-ID') ?? header(text, 'i'));
    if (call === undefined) return;
    const at = performance.now();
    if (status === 180) {
      call.ringingAt ??= at;
      const pushStatus = header(text, 'X-Sipwake-Push-Status');
      if (pushStatus !== undefined) call.pushStatuses.push(pushStatus);
    } else if (status >= 200) {
      call.finalStatus ??= status;
      if (status >= 300) {
        const ack = ackText(call, local, header(text, 'To') ?? header(text, 't'));
        socket.send(Buffer.from(ack, 'latin1'), targetPort, '127.0.0.1');
      }
    }
  });
  return {
    calls,
    responses: () => responses,
    send(call) {
      const entry = { ...call, sentAt: performance.now(), pushStatuses: [] };
      calls.set(call.callId, entry);
      socket.send(Buffer.from(inviteText(call, local), 'latin1'), targetPort, '127.0.0.1');
      return entry;
    },
    close: () => new Promise((resolve) => socket.close(resolve)),
  };
}
