// Compact JWS signing for the two providers: ES256 for APNs provider tokens (the signature is
// raw r‖s, RFC 7518 §3.4 — a DER signature is refused as InvalidProviderToken) and RS256 for
// Google's JWT-bearer assertion (RFC 7523).
import { sign, type KeyObject } from 'node:crypto';

export type JwtAlgorithm = 'ES256' | 'RS256';

function part(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function signJwt(
  alg: JwtAlgorithm,
  header: Readonly<Record<string, string>>,
  claims: Readonly<Record<string, string | number>>,
  key: KeyObject,
): string {
  const input = `${part({ alg, typ: 'JWT', ...header })}.${part(claims)}`;
  const data = Buffer.from(input, 'ascii');
  const signature =
    alg === 'ES256'
      ? sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })
      : sign('sha256', data, key);
  return `${input}.${signature.toString('base64url')}`;
}
