// Writing auth-params the way SIP servers read them: RFC 3261 §25.1 quoted-string for
// username, realm, nonce, uri, response, cnonce, opaque; bare tokens for algorithm, qop, nc,
// stale, userhash (RFC 7616 §3.3 and §3.4, which RFC 8760 brings to SIP).
import { DigestError, DigestErrorCode } from './errors.js';

export interface AuthParam {
  readonly name: string;
  readonly value: string;
  /** Written as a quoted-string; else as a token. */
  readonly quoted: boolean;
}

/** `Digest name="value", name=token, …` */
export function formatDigestHeader(params: readonly AuthParam[]): string {
  return `Digest ${params.map(formatParam).join(', ')}`;
}

function formatParam(param: AuthParam): string {
  return `${param.name}=${param.quoted ? quoteString(param.name, param.value) : token(param)}`;
}

/**
 * RFC 3261 §25.1: quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F): a quote and a backslash are
 * escaped; CR and LF cannot be written at all (they would split the header), nor NUL.
 */
export function quoteString(name: string, value: string): string {
  if (/[\r\n\0]/.test(value)) {
    throw new DigestError(
      DigestErrorCode.InvalidValue,
      `the ${name} parameter contains CR, LF or NUL`,
      {
        field: name,
      },
    );
  }
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function token(param: AuthParam): string {
  // RFC 3261 §25.1 token characters; every unquoted value written here is one of ours.
  if (!/^[A-Za-z0-9\-.!%*_+`'~]+$/.test(param.value)) {
    throw new DigestError(
      DigestErrorCode.InvalidValue,
      `the ${param.name} parameter is not a token`,
      {
        field: param.name,
      },
    );
  }
  return param.value;
}

/**
 * Decodes an RFC 8187 ext-value (`UTF-8''J%C3%A4s%C3%B8n%20Doe`), as RFC 7616 §3.4.4 uses for
 * `username*`. Undefined when it is not one (another charset, a bad escape).
 */
export function decodeExtValue(value: string): string | undefined {
  const match = /^([A-Za-z0-9!#$&+\-^_`{}~]+)'[A-Za-z0-9-]*'(.*)$/.exec(value);
  if (!match || match[1]?.toUpperCase() !== 'UTF-8') return undefined;
  const encoded = match[2] ?? '';
  if (!/^(?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-Fa-f]{2})*$/.test(encoded)) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}
