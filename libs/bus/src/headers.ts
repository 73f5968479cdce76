// Header rules shared by both buses: what NATS can carry (HTTP-like header lines), checked
// before anything is sent, and copied so that no receiver sees a sender's later change.
import { BusError, BusErrorCode } from './errors.js';
import type { BusHeaders } from './types.js';

/** The headers of a message that carried none: one frozen, shared value. */
export const noHeaders: BusHeaders = Object.freeze({});

// A header name is a token (RFC 7230 §3.2.6: tchar); a value has no CR or LF.
const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const lineBreak = /[\r\n]/;

/** A frozen copy of `headers` after checking every name and value; throws BAD_HEADER. */
export function copyHeaders(headers: BusHeaders | undefined, subject: string): BusHeaders {
  if (headers === undefined) return noHeaders;
  const copy: Record<string, string> = {};
  let any = false;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (!headerName.test(name)) {
      throw new BusError(BusErrorCode.BadHeader, `bad header name ${JSON.stringify(name)}`, {
        subject,
      });
    }
    if (typeof value !== 'string' || lineBreak.test(value)) {
      throw new BusError(BusErrorCode.BadHeader, `bad value for header ${name}`, { subject });
    }
    copy[name] = value;
    any = true;
  }
  return any ? Object.freeze(copy) : noHeaders;
}
