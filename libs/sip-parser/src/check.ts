// Whole-message checks beyond what parseMessage enforces: every typed header parses, and for
// requests the checks a UAS or proxy makes before acting (RFC 3261 §8.2.2, §16.3). The result
// is the response the RFC gives, for the layer above to send.
import { ParseErrorCode, SipParseError, statusForParseError } from './errors.js';
import { H_PROXY_REQUIRE } from './header-names.js';
import type { MessageBase } from './message.js';
import { reasonPhrase } from './reason-phrases.js';
import * as t from './typed.js';
import type { SipMessage, SipRequest } from './types.js';

export const ProblemCode = {
  ...ParseErrorCode,
  /** RFC 3261 §8.2.2.1: Request-URI scheme not understood → 416. */
  UnsupportedUriScheme: 'UNSUPPORTED_URI_SCHEME',
  /** RFC 3261 §8.2.2.3 / §16.3 item 5: an option tag in Require / Proxy-Require not supported → 420. */
  BadExtension: 'BAD_EXTENSION',
} as const;
export type ProblemCode = (typeof ProblemCode)[keyof typeof ProblemCode];

export interface MessageProblem {
  /** The status code the RFC gives for this problem (400, 416, 420, 505). */
  readonly status: number;
  readonly reason: string;
  readonly code: ProblemCode;
  readonly message: string;
  readonly header: string | undefined;
  /** For 420: the option tags to list in Unsupported (RFC 3261 §20.40). */
  readonly unsupported: readonly string[] | undefined;
}

export interface CheckRequestOptions {
  /** Option tags this element supports (lower-case); default none. */
  readonly supported?: readonly string[];
  /** URI schemes this element serves; default sip, sips, tel. */
  readonly schemes?: readonly string[];
  /** `uas` checks Require (§8.2.2.3), `proxy` checks Proxy-Require (§16.3 item 5). */
  readonly role?: 'uas' | 'proxy';
}

function problem(
  status: number,
  code: ProblemCode,
  message: string,
  header?: string,
  unsupported?: readonly string[],
): MessageProblem {
  return { status, reason: reasonPhrase(status), code, message, header, unsupported };
}

/** Reading a value is what checks it (typed values decode on first access). */
function touch(...values: unknown[]): void {
  void values;
}

/** Runs every typed accessor; the first SipParseError becomes a 400 (505 for the version). */
export function checkMessage(msg: SipMessage): MessageProblem | undefined {
  try {
    for (const v of msg.via()) touch(v.branch, v.received, v.rport, v.maddr, v.ttl, v.params);
    for (const a of [msg.from(), msg.to()]) touch(a.tag, a.uri, a.params);
    msg.callId();
    msg.cseq();
    msg.maxForwards();
    const contacts = msg.contacts();
    if (contacts !== '*') for (const c of contacts) touch(c.expires, c.q, c.instance, c.push);
    for (const list of [msg.route(), msg.recordRoute(), msg.path()]) {
      for (const a of list) touch(a.uri, a.params);
    }
    msg.expires();
    msg.minExpires();
    msg.wwwAuthenticate();
    msg.proxyAuthenticate();
    msg.authorization();
    msg.proxyAuthorization();
    msg.authenticationInfo();
    msg.retryAfter();
    msg.reasons();
    msg.supported();
    msg.require();
    msg.contentType();
    msg.contentLength();
    if (msg.type === 'request') msg.requestUri();
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
    return problem(statusForParseError(e), e.code, e.message, e.header);
  }
  return undefined;
}

/**
 * checkMessage, then what a UAS (or proxy) answers before processing: 416 for a Request-URI
 * scheme it does not serve (RFC 3261 §8.2.2.1), 420 for required extensions it lacks (§8.2.2.3;
 * not for ACK and CANCEL, which get no 420).
 */
export function checkRequest(
  msg: SipRequest,
  opts?: CheckRequestOptions,
): MessageProblem | undefined {
  const p = checkMessage(msg);
  if (p !== undefined) return p;
  const schemes = opts?.schemes ?? ['sip', 'sips', 'tel'];
  const scheme = msg.requestUri().scheme;
  if (!schemes.includes(scheme)) {
    return problem(416, ProblemCode.UnsupportedUriScheme, `scheme ${scheme} not served`);
  }
  if (msg.method === 'ACK' || msg.method === 'CANCEL') return undefined;
  const supported = opts?.supported ?? [];
  const proxy = opts?.role === 'proxy';
  let tags: readonly string[];
  try {
    const h = (msg as unknown as MessageBase).headers;
    tags = proxy ? t.readOptionTags(h, H_PROXY_REQUIRE) : msg.require();
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
    return problem(400, e.code, e.message, e.header);
  }
  const missing = tags.filter((tag) => !supported.includes(tag));
  if (missing.length > 0) {
    const header = proxy ? 'proxy-require' : 'require';
    return problem(
      420,
      ProblemCode.BadExtension,
      `unsupported: ${missing.join(', ')}`,
      header,
      missing,
    );
  }
  return undefined;
}
