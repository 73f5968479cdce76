// The digest computations of RFC 7616 §3.4 (and RFC 2617 §3.2.2 for the RFC 2069 form without
// qop). Pure functions over strings: both the client and the server call these.
import { digestHash, type AlgorithmInfo, type DigestHash } from './algorithm.js';

export type DigestQop = 'auth' | 'auth-int';

export interface DigestInput {
  readonly algorithm: AlgorithmInfo;
  /** H(username ":" realm ":" password) with the algorithm's hash: what a server may store. */
  readonly ha1: string;
  readonly nonce: string;
  /** Required with qop and with a -sess algorithm. */
  readonly cnonce?: string;
  /** The nonce count as sent: 8 lower-case hex digits. Required with qop. */
  readonly nc?: string;
  /** Absent: the RFC 2069 form. */
  readonly qop?: DigestQop;
  readonly method: string;
  /** The digest-uri as sent in the `uri` parameter. */
  readonly uri: string;
  /** The message body, for qop=auth-int (RFC 3261 §22.4: an empty body hashes the empty string). */
  readonly body?: Buffer;
}

/** RFC 7616 §3.4.2: A1 = unq(username) ":" unq(realm) ":" passwd; this returns H(A1). */
export function computeHa1(
  hash: DigestHash,
  username: string,
  realm: string,
  password: string,
): string {
  return digestHash(hash, `${username}:${realm}:${password}`);
}

/** RFC 7616 §3.4.4: username = H(unq(username) ":" unq(realm)) when userhash is true. */
export function computeUserhash(hash: DigestHash, username: string, realm: string): string {
  return digestHash(hash, `${username}:${realm}`);
}

/** The nonce count as written in `nc`: RFC 7616 §3.4 "8LHEX". */
export function formatNonceCount(count: number): string {
  return count.toString(16).padStart(8, '0');
}

/** The `response` parameter: RFC 7616 §3.4.1 (or the RFC 2069 form when there is no qop). */
export function computeResponse(input: DigestInput): string {
  return requestDigest(input, input.method);
}

/**
 * The `rspauth` of Authentication-Info. RFC 7616 §3.5: computed as the response, except that A2
 * has no method: A2 = ":" request-uri (qop=auth), ":" request-uri ":" H(entity-body) (auth-int).
 */
export function computeRspauth(input: DigestInput): string {
  return requestDigest(input, '');
}

function requestDigest(input: DigestInput, method: string): string {
  const hash = input.algorithm.hash;
  const ha1 = sessionHa1(input);
  const ha2 = digestHash(hash, a2(input, method));
  if (input.qop === undefined) {
    // RFC 2617 §3.2.2.1 (RFC 2069 compatibility): KD(H(A1), unq(nonce) ":" H(A2)).
    return digestHash(hash, `${ha1}:${input.nonce}:${ha2}`);
  }
  // RFC 7616 §3.4.1: response = <"> < KD ( H(A1), unq(nonce)
  //   ":" nc ":" unq(cnonce) ":" unq(qop) ":" H(A2) ) <">
  return digestHash(
    hash,
    `${ha1}:${input.nonce}:${input.nc ?? ''}:${input.cnonce ?? ''}:${input.qop}:${ha2}`,
  );
}

/**
 * RFC 7616 §3.4.2: for a -sess algorithm,
 * A1 = H( unq(username) ":" unq(realm) ":" passwd ) ":" unq(nonce-prime) ":" unq(cnonce-prime).
 */
function sessionHa1(input: DigestInput): string {
  if (!input.algorithm.session) return input.ha1;
  return digestHash(input.algorithm.hash, `${input.ha1}:${input.nonce}:${input.cnonce ?? ''}`);
}

/** RFC 7616 §3.4.3: A2 = Method ":" request-uri, plus ":" H(entity-body) for auth-int. */
function a2(input: DigestInput, method: string): string {
  if (input.qop !== 'auth-int') return `${method}:${input.uri}`;
  const bodyHash = digestHash(input.algorithm.hash, input.body ?? Buffer.alloc(0));
  return `${method}:${input.uri}:${bodyHash}`;
}
