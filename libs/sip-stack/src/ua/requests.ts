// Requests the UA builds from others: a copy of a request for its next attempt (new branch,
// CSeq+1, credentials), and the ACK for a 2xx (RFC 3261 §13.2.2.4).
import { createRequest, type SipRequest } from '@sipwake/sip-parser';
import type { DigestAnswer } from '../digest/client.js';

/** A deep copy of a request (header fields in order, body), unbound from any transaction. */
export function cloneRequest(request: SipRequest): SipRequest {
  return createRequest({
    method: request.method,
    uri: request.uri,
    headers: request.headers.entries(),
    body: Buffer.from(request.body),
  });
}

/** Authorization / Proxy-Authorization fields set to `answers` (earlier ones removed). */
export function setCredentials(request: SipRequest, answers: readonly DigestAnswer[]): void {
  request.headers.delete('authorization');
  request.headers.delete('proxy-authorization');
  for (const answer of answers) request.headers.append(answer.header, answer.value);
}

/**
 * The request re-sent after a 401/407 (RFC 3261 §8.1.3.5 and §22.2): the same Call-ID, From
 * and To, "the CSeq header field value [...] incremented by one", and a new branch — the Via is
 * removed, so the transaction layer adds a fresh one.
 */
export function nextAttempt(request: SipRequest, answers: readonly DigestAnswer[]): SipRequest {
  const next = cloneRequest(request);
  next.headers.delete('via');
  const cseq = request.cseq();
  next.headers.set('cseq', `${cseq.seq + 1} ${cseq.method}`);
  setCredentials(next, answers);
  return next;
}

/**
 * RFC 3261 §13.2.2.4: "The header fields of the ACK are constructed in the same way as for any
 * request sent within a dialog (see Section 12) with the exception of the CSeq and the header
 * fields related to authentication. The sequence number of the CSeq header field MUST be the
 * same as the INVITE being acknowledged, but the CSeq method MUST be ACK. The ACK MUST contain
 * the same credentials as the INVITE."
 */
export function buildAck(
  invite: SipRequest,
  inDialog: { readonly uri: string; readonly headers: readonly (readonly [string, string])[] },
): SipRequest {
  const credentials = [
    ...invite.headers.getAll('authorization').map((v) => ['Authorization', v] as const),
    ...invite.headers.getAll('proxy-authorization').map((v) => ['Proxy-Authorization', v] as const),
  ];
  return createRequest({
    method: 'ACK',
    uri: inDialog.uri,
    headers: [
      ...inDialog.headers,
      ['CSeq', `${invite.cseq().seq} ACK`],
      ...credentials,
      ['Content-Length', '0'],
    ],
  });
}
