// SIPp scenarios of a caller at the user's own proxy (Kamailio): `[service]` is the user called,
// `DOMAIN` the account's domain. Each scenario checks what the caller must see with SIPp's
// `check_it`, so a wrong X-Sipwake-* header fails the run, not only a wrong status.
import { sippRequest, sippScenario, sippSend } from '@sipwake/testkit';
import { DOMAIN } from './system.js';

const SDP = [
  'v=0',
  'o=sipp 1 1 IN IP4 [local_ip]',
  's=-',
  'c=IN IP4 [media_ip]',
  't=0 0',
  'm=audio [media_port] RTP/AVP 0',
].join('\n');

const target = `sip:[service]@${DOMAIN}`;
const to = `<${target}>`;

function invite(): string {
  return sippSend(
    sippRequest('INVITE', target, {
      to,
      headers: ['Contact: <sip:sipp@[local_ip]:[local_port]>', 'Content-Type: application/sdp'],
      body: SDP,
    }),
    { retransMs: 500 },
  );
}

/**
 * A `<recv>` whose `header` must match `regexp`, or the call fails. SIPp wants every variable
 * used twice: the scenario names `name` again in a `<Reference>`.
 */
function recvChecked(response: number, header: string, regexp: string, name: string): string {
  return (
    `<recv response="${response}"><action><ereg regexp="${regexp}" search_in="hdr" ` +
    `header="${header}:" check_it="true" assign_to="${name}"/></action></recv>`
  );
}

/**
 * A request on the INVITE's branch (CANCEL, ACK for a non-2xx: RFC 3261 §9.1, §17.1.1.3): SIPp's
 * `[branch-N]` names the branch of the message N steps back, here the INVITE at step 0.
 */
function onInviteBranch(request: string, step: number): string {
  return request.replace('branch=[branch]', `branch=[branch-${step}]`);
}

/**
 * The caller waits until sipwake rang (180 `Alerting-Device`) and the push went out (180
 * `Push-Notification-Sent`), then gives up: CANCEL (with `reason` as its Reason header), 200 for
 * the CANCEL, 487 for the INVITE, ACK.
 */
export function cancellingCaller(reason?: string): string {
  const cancel = sippRequest('CANCEL', target, {
    to,
    headers: reason === undefined ? [] : [`Reason: ${reason}`],
  });
  const ack = sippRequest('ACK', target, { to: `${to}[peer_tag_param]` });
  return sippScenario('caller-cancel', [
    invite(), // 0
    '<recv response="100" optional="true"/>', // 1
    recvChecked(180, 'X-Sipwake-Push-Status', 'Alerting-Device', 'alerting'), // 2
    recvChecked(180, 'X-Sipwake-Push-Status', 'Push-Notification-Sent', 'pushed'), // 3
    sippSend(onInviteBranch(cancel, 4), { retransMs: 500 }), // 4
    '<recv response="200"/>', // 5
    '<recv response="487"/>', // 6
    sippSend(onInviteBranch(ack, 7)), // 7
    '<Reference variables="alerting,pushed"/>',
  ]);
}

/** The caller is refused 480 with `X-Sipwake-Reason: <reason>` (after any 180s), and ACKs it. */
export function refusedCaller(reason: string): string {
  const ack = sippRequest('ACK', target, { to: `${to}[peer_tag_param]` });
  const ringing = Array.from({ length: 4 }, () => '<recv response="180" optional="true"/>');
  return sippScenario('caller-refused', [
    invite(), // 0
    '<recv response="100" optional="true"/>', // 1
    ...ringing, // 2–5
    recvChecked(480, 'X-Sipwake-Reason', reason, 'reason'), // 6
    sippSend(onInviteBranch(ack, 7)), // 7
    '<Reference variables="reason"/>',
  ]);
}

/** The caller is answered (after any 180s), ACKs, and hangs up with BYE. */
export function answeredCaller(): string {
  const ringing = Array.from({ length: 6 }, () => '<recv response="180" optional="true"/>');
  return sippScenario('caller-answered', [
    invite(),
    '<recv response="100" optional="true"/>',
    ...ringing,
    '<recv response="200" rrs="true"/>',
    sippSend(sippRequest('ACK', '[next_url]', { to, inDialog: true })),
    '<pause milliseconds="300"/>',
    sippSend(sippRequest('BYE', '[next_url]', { to, cseq: 2, inDialog: true }), { retransMs: 500 }),
    '<recv response="200"/>',
  ]);
}

/**
 * A MESSAGE (RFC 3428) with a text/plain `text`, answered 202 Accepted: kept, not yet read. SIPp
 * ends every line with CRLF, so the body the recipient gets is `text` + CRLF.
 */
export function messageSender(text: string): string {
  return sippScenario('message-sender', [
    sippSend(
      sippRequest('MESSAGE', target, {
        to,
        headers: ['Content-Type: text/plain;charset=UTF-8'],
        body: text,
      }),
      { retransMs: 500 },
    ),
    '<recv response="202"/>',
  ]);
}
