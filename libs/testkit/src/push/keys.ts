// Provider credentials for tests: an APNs signing key (.p8: EC P-256 in PKCS#8 PEM, as Apple
// hands it out) and a Google service-account JSON with an RSA key, each with the public half the
// local servers verify against. Written to a file when the code under test reads one.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';

export interface ApnsKey {
  /** The 10-character key id Apple shows (the JWT header's `kid`). */
  readonly keyId: string;
  /** The 10-character team id (the JWT's `iss`). */
  readonly teamId: string;
  /** The .p8 file's text: `-----BEGIN PRIVATE KEY-----` (PKCS#8). */
  readonly privateKeyPem: string;
  /** SPKI PEM, what startApnsServer verifies signatures with. */
  readonly publicKeyPem: string;
}

export interface ApnsKeyOptions {
  readonly keyId?: string;
  readonly teamId?: string;
}

function appleId(): string {
  return randomBytes(5).toString('hex').toUpperCase();
}

/** A fresh APNs signing key (EC P-256). */
export function generateApnsKey(options: ApnsKeyOptions = {}): ApnsKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    keyId: options.keyId ?? appleId(),
    teamId: options.teamId ?? appleId(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The fields of a Google service-account key file that FCM HTTP v1 clients read. */
export interface ServiceAccountJson {
  readonly type: 'service_account';
  readonly project_id: string;
  readonly private_key_id: string;
  readonly private_key: string;
  readonly client_email: string;
  readonly client_id: string;
  readonly token_uri: string;
}

export interface ServiceAccount {
  readonly json: ServiceAccountJson;
  /** SPKI PEM of the account's key, what startFcmServer verifies assertions with. */
  readonly publicKeyPem: string;
}

export interface ServiceAccountOptions {
  readonly projectId?: string;
  /** Where the OAuth2 token endpoint is (a local FCM server's `tokenUri`). */
  readonly tokenUri?: string;
}

/** A fresh service account with a 2048-bit RSA key. */
export function generateServiceAccount(options: ServiceAccountOptions = {}): ServiceAccount {
  const projectId = options.projectId ?? `sipwake-test-${randomBytes(3).toString('hex')}`;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    json: {
      type: 'service_account',
      project_id: projectId,
      private_key_id: randomBytes(20).toString('hex'),
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: `push@${projectId}.iam.gserviceaccount.com`,
      client_id: String(BigInt(`0x${randomBytes(8).toString('hex')}`)),
      token_uri: options.tokenUri ?? 'https://oauth2.googleapis.com/token',
    },
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Writes a key or JSON file readable by its owner only; returns the path. */
export async function writeSecretFile(path: string, content: string | object): Promise<string> {
  const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2);
  await writeFile(path, text, { mode: 0o600 });
  return path;
}
