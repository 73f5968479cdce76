// Building messages: createRequest, and createResponse per RFC 3261 §8.2.6.
import { Buffer } from 'node:buffer';
import { C_TOKEN, CHARS } from './chars.js';
import { ParseErrorCode, SipParseError } from './errors.js';
import { H_CALL_ID, H_CSEQ, H_FROM, H_TIMESTAMP, H_TO, H_VIA } from './header-names.js';
import { HeaderList } from './headers.js';
import { Request, Response } from './message.js';
import { reasonPhrase } from './reason-phrases.js';
import type { SipRequest, SipResponse } from './types.js';

export interface CreateRequestOptions {
  readonly method: string;
  readonly uri: string;
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: Buffer | string;
}

export interface CreateResponseOptions {
  /** Added to To when the request's To has no tag (RFC 3261 §8.2.6.2). */
  readonly toTag?: string;
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: Buffer | string;
}

function toBody(body: Buffer | string | undefined): Buffer | undefined {
  if (body === undefined) return undefined;
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (CHARS[c]! & C_TOKEN) === 0) return false;
  }
  return true;
}

/** A new request; Content-Length is written by serializeMessage. */
export function createRequest(opts: CreateRequestOptions): SipRequest {
  if (!isToken(opts.method)) {
    throw new SipParseError(ParseErrorCode.BadMethod, 'method is not a token');
  }
  if (opts.uri.length === 0 || /[\s]/.test(opts.uri)) {
    throw new SipParseError(ParseErrorCode.BadRequestUri, 'Request-URI empty or with whitespace');
  }
  const headers = new HeaderList(undefined, '');
  for (const [name, value] of opts.headers ?? []) headers.append(name, value);
  return new Request(
    headers,
    undefined,
    toBody(opts.body) ?? Buffer.alloc(0),
    opts.method,
    opts.uri,
  );
}

/**
 * A response to `request` (RFC 3261 §8.2.6.2): the Via fields in order, From, To (with
 * `toTag` added when it has none), Call-ID and CSeq copied; a 100 also copies Timestamp
 * (§8.2.6.1). Default reason phrase from `reasonPhrase(status)`.
 */
export function createResponse(
  request: SipRequest,
  status: number,
  reason?: string,
  opts?: CreateResponseOptions,
): SipResponse {
  if (!Number.isInteger(status) || status < 100 || status > 699) {
    throw new SipParseError(ParseErrorCode.BadStatus, 'status must be 100-699');
  }
  const phrase = reason ?? reasonPhrase(status);
  if (/[\r\n]/.test(phrase)) {
    throw new SipParseError(ParseErrorCode.BadStatus, 'reason phrase holds CR or LF');
  }
  const src = (request as unknown as Request).headers;
  const headers = new HeaderList(undefined, '');
  const n = src.size();
  for (let k = 0; k < n; k++) if (src.idAt(k) === H_VIA) headers.append('Via', src.valueAt(k));
  const copy = (id: number, name: string, value?: string): void => {
    const k = src.indexOfId(id);
    if (k >= 0) headers.append(name, value ?? src.valueAt(k));
  };
  copy(H_FROM, 'From');
  let to: string | undefined;
  if (opts?.toTag !== undefined && src.indexOfId(H_TO) >= 0 && request.to().tag === undefined) {
    to = `${src.valueAt(src.indexOfId(H_TO))};tag=${opts.toTag}`;
  }
  copy(H_TO, 'To', to);
  copy(H_CALL_ID, 'Call-ID');
  copy(H_CSEQ, 'CSeq');
  if (status === 100) copy(H_TIMESTAMP, 'Timestamp');
  for (const [name, value] of opts?.headers ?? []) headers.append(name, value);
  return new Response(headers, undefined, toBody(opts?.body) ?? Buffer.alloc(0), status, phrase);
}
