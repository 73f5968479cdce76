// Server nonces that carry their own proof: issue time ‖ random ‖ HMAC-SHA-256(secret, realm ‖
// issue time ‖ random). A nonce minted by another server (another secret) or altered in any bit
// does not verify; its age is read back without any server-side state (RFC 7616 §3.3 suggests
// exactly this: "time-stamp H(time-stamp ":" ETag ":" secret-data)").
import { createHmac, randomBytes as nodeRandomBytes, timingSafeEqual } from 'node:crypto';

const TIME_BYTES = 8;
const RANDOM_BYTES = 12;
const MAC_BYTES = 16;
const NONCE_BYTES = TIME_BYTES + RANDOM_BYTES + MAC_BYTES;
const CONTEXT = 'sipwake digest nonce v1';

export interface NonceCodecOptions {
  readonly secret: Buffer;
  readonly realm: string;
  readonly randomBytes?: (size: number) => Buffer;
}

export interface NonceCodec {
  /** A new nonce issued at `nowMs` (base64url: safe in a quoted-string and in a token). */
  mint(nowMs: number): string;
  /** The issue time of a nonce this server minted, or undefined for anything else. */
  issuedAt(nonce: string): number | undefined;
}

export function createNonceCodec(options: NonceCodecOptions): NonceCodec {
  const random = options.randomBytes ?? nodeRandomBytes;

  function mac(body: Buffer): Buffer {
    return createHmac('sha256', options.secret)
      .update(CONTEXT)
      .update('\0')
      .update(options.realm)
      .update('\0')
      .update(body)
      .digest()
      .subarray(0, MAC_BYTES);
  }

  return {
    mint(nowMs) {
      const body = Buffer.alloc(TIME_BYTES + RANDOM_BYTES);
      body.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(nowMs))), 0);
      random(RANDOM_BYTES).copy(body, TIME_BYTES, 0, RANDOM_BYTES);
      return Buffer.concat([body, mac(body)]).toString('base64url');
    },
    issuedAt(nonce) {
      if (!/^[A-Za-z0-9_-]+$/.test(nonce)) return undefined;
      const bytes = Buffer.from(nonce, 'base64url');
      if (bytes.length !== NONCE_BYTES || bytes.toString('base64url') !== nonce) return undefined;
      const body = bytes.subarray(0, TIME_BYTES + RANDOM_BYTES);
      if (!timingSafeEqual(mac(body), bytes.subarray(TIME_BYTES + RANDOM_BYTES))) return undefined;
      return Number(body.readBigUInt64BE(0));
    },
  };
}
