// The messages the transaction layer builds itself: the ACK for a non-2xx final response
// (RFC 3261 §17.1.1.3), the CANCEL of a pending INVITE (§9.1), 100 Trying (§17.2.1) and the
// few responses it answers on its own (481 to a CANCEL that matches nothing, 500/503).
import { randomBytes } from 'node:crypto';
import type { SipRequest, SipResponse } from '@sipwake/sip-parser';
import { createRequest, createResponse } from '@sipwake/sip-parser';
import { splitFirstValue } from '../transport/via.js';

/** RFC 3261 §8.1.1.6: "The Max-Forwards header field [...] SHOULD be 70." */
const MAX_FORWARDS = '70';

/** The first value of the top Via header field line, as written. */
function topViaValue(request: SipRequest): string {
  const line = request.headers.getAll('via')[0] ?? '';
  return splitFirstValue(line)[0].trim();
}

function header(message: SipRequest | SipResponse, name: string): string {
  return message.headers.get(name) ?? '';
}

/**
 * RFC 3261 §17.1.1.3: "The ACK request constructed by the client transaction MUST contain
 * values for the Call-ID, From, and Request-URI that are equal to the values of those header
 * fields in the request passed to the transport by the client transaction [...]. The To header
 * field in the ACK MUST equal the To header field in the response being acknowledged [...]. The
 * ACK MUST contain a single Via header field, and this MUST be equal to the top Via header field
 * of the original request. The CSeq header field in the ACK MUST contain the same value for the
 * sequence number as was present in the original request, but the method parameter MUST be equal
 * to "ACK". If the INVITE request whose response is being acknowledged had Route header fields,
 * those header fields MUST appear in the ACK."
 */
export function buildNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const headers: [string, string][] = [
    ['Via', topViaValue(invite)],
    ...invite.headers.getAll('route').map((route): [string, string] => ['Route', route]),
    ['Max-Forwards', MAX_FORWARDS],
    ['From', header(invite, 'from')],
    ['To', header(response, 'to')],
    ['Call-ID', invite.callId()],
    ['CSeq', `${invite.cseq().seq} ACK`],
  ];
  return createRequest({ method: 'ACK', uri: invite.uri, headers });
}

/**
 * RFC 3261 §9.1: "The Request-URI, Call-ID, To, the numeric part of CSeq, and From header fields
 * in the CANCEL request MUST be identical to those in the request being cancelled, including
 * tags. A CANCEL constructed by a client MUST have only a single Via header field value matching
 * the top Via value in the request being cancelled. [...] the method [of CSeq] MUST be CANCEL.
 * [...] If the request being cancelled contains a Route header field, the CANCEL request MUST
 * include that Route header field's values."
 */
export function buildCancel(
  invite: SipRequest,
  extra: readonly (readonly [string, string])[] = [],
): SipRequest {
  const headers: [string, string][] = [
    ['Via', topViaValue(invite)],
    ...invite.headers.getAll('route').map((route): [string, string] => ['Route', route]),
    ['Max-Forwards', MAX_FORWARDS],
    ['From', header(invite, 'from')],
    ['To', header(invite, 'to')],
    ['Call-ID', invite.callId()],
    ['CSeq', `${invite.cseq().seq} CANCEL`],
    ...extra.map(([name, value]): [string, string] => [name, value]),
  ];
  return createRequest({ method: 'CANCEL', uri: invite.uri, headers });
}

/**
 * RFC 3261 §17.2.1: the 100 Trying the INVITE server transaction sends itself (createResponse
 * copies Timestamp, §8.2.6.1).
 */
export function buildTrying(request: SipRequest): SipResponse {
  return createResponse(request, 100, 'Trying');
}

/** A To tag for a response the layer builds itself (§19.3: "at least 32 bits of randomness"). */
export function localTag(): string {
  return randomBytes(8).toString('hex');
}

/**
 * A final response the layer gives on its own; §8.2.6.2: the UAS "MUST add a tag to the To
 * header field" and "The same tag MUST be used for all responses to that request": `toTag` is
 * the one the transaction's earlier responses carried, if any.
 */
export function buildLocalResponse(
  request: SipRequest,
  status: number,
  reason: string,
  toTag: string = localTag(),
): SipResponse {
  return createResponse(request, status, reason, { toTag });
}
