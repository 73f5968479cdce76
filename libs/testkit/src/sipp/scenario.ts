// SIPp scenario XML from a few pieces, so that tests write the messages that matter to them and
// not the same Via/From/To/Call-ID/CSeq lines again. SIPp keywords in brackets are SIPp's own
// (`[last_Via:]`, `[branch]`, `[len]`, …); SIPp ends every line with CRLF and drops empty ones.

export interface SippRequestOptions {
  /** The To value (default `<sip:[service]@[remote_ip]:[remote_port]>`). */
  readonly to?: string;
  /** CSeq number (default 1). */
  readonly cseq?: number;
  /** Appended to the Via value, e.g. `;rport`. */
  readonly viaParams?: string;
  /**
   * A request within the dialog SIPp keeps (ACK, BYE): the far end's To tag
   * (`[peer_tag_param]`) and the route set (`[routes]`) are added.
   */
  readonly inDialog?: boolean;
  /** More header lines, e.g. `Contact: <sip:sipp@[local_ip]:[local_port]>`. */
  readonly headers?: readonly string[];
  /** A body: `Content-Type: application/sdp` is not added, put it in `headers`. */
  readonly body?: string;
}

export interface SippReplyOptions {
  /** Add SIPp's To tag (`;tag=[pid]SIPpTag01[call_number]`) to the To of the request. */
  readonly toTag?: boolean;
  readonly headers?: readonly string[];
  readonly body?: string;
}

/** A scenario document: `steps` (`<send>`, `<recv …/>`, `<pause …/>`) in order. */
export function sippScenario(name: string, steps: readonly string[]): string {
  return [
    '<?xml version="1.0" encoding="ISO-8859-1" ?>',
    `<scenario name="${name}">`,
    ...steps.map((step) => `  ${step}`),
    '</scenario>',
    '',
  ].join('\n');
}

/** A `<send>` of one message; `retransMs` is SIPp's UDP retransmission timer for it. */
export function sippSend(message: string, options: { readonly retransMs?: number } = {}): string {
  const retrans = options.retransMs === undefined ? '' : ` retrans="${options.retransMs}"`;
  return `<send${retrans}>\n    <![CDATA[\n${message}\n    ]]>\n  </send>`;
}

/**
 * A request of SIPp's call: Via with `[branch]`, From with SIPp's tag, To, `[call_id]`, CSeq,
 * Max-Forwards 70, and Content-Length (`[len]` with a body).
 */
export function sippRequest(method: string, uri: string, options: SippRequestOptions = {}): string {
  const to = options.to ?? '<sip:[service]@[remote_ip]:[remote_port]>';
  return [
    `${method} ${uri} SIP/2.0`,
    `Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]${options.viaParams ?? ''}`,
    'From: <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]',
    `To: ${to}${options.inDialog ? '[peer_tag_param]' : ''}`,
    'Call-ID: [call_id]',
    `CSeq: ${options.cseq ?? 1} ${method}`,
    ...(options.inDialog ? ['[routes]'] : []),
    'Max-Forwards: 70',
    ...(options.headers ?? []),
    ...withBody(options.body),
  ].join('\n');
}

/** A response to the last request SIPp received: its Via, From, To, Call-ID and CSeq. */
export function sippReply(status: number, reason: string, options: SippReplyOptions = {}): string {
  return [
    `SIP/2.0 ${status} ${reason}`,
    '[last_Via:]',
    '[last_From:]',
    `[last_To:]${options.toTag ? ';tag=[pid]SIPpTag01[call_number]' : ''}`,
    '[last_Call-ID:]',
    '[last_CSeq:]',
    ...(options.headers ?? []),
    ...withBody(options.body),
  ].join('\n');
}

function withBody(body: string | undefined): string[] {
  return body === undefined ? ['Content-Length: 0', ''] : ['Content-Length: [len]', '', body];
}
