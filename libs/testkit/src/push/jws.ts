// A compact JWS (JWT) read the way a provider reads it: three base64url parts, a header naming
// `alg` (and `kid`), claims, and a signature checked against a public key — ES256 as raw r‖s
// (RFC 7518 §3.4, what APNs demands), RS256 as PKCS#1 v1.5.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export interface DecodedJwt {
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
}

export type JwtCheck =
  { readonly ok: true; readonly jwt: DecodedJwt } | { readonly ok: false; readonly why: string };

function decodePart(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Decodes and verifies a JWT signed with `alg` by the key whose public half is `publicKey`. */
export function verifyJwt(
  token: string,
  alg: 'ES256' | 'RS256',
  publicKey: string | KeyObject,
): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, why: 'not three parts' };
  const [headerPart, claimsPart, signaturePart] = parts as [string, string, string];
  const header = decodePart(headerPart);
  const claims = decodePart(claimsPart);
  if (header === undefined || claims === undefined) return { ok: false, why: 'not base64url JSON' };
  if (header['alg'] !== alg) return { ok: false, why: `alg is not ${alg}` };
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const signature = Buffer.from(signaturePart, 'base64url');
  const signed = Buffer.from(`${headerPart}.${claimsPart}`, 'ascii');
  const good =
    alg === 'ES256'
      ? signature.length === 64 &&
        verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature)
      : verify('sha256', signed, key, signature);
  return good ? { ok: true, jwt: { header, claims } } : { ok: false, why: 'bad signature' };
}
