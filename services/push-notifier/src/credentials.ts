// The providers' credentials, read once at start-up: the APNs .p8 signing key and the FCM
// service-account JSON. A file that is missing or malformed stops start-up with an error naming
// the configuration key — never the file's content.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PushError, PushErrorCode } from './errors.js';

function readText(file: string, key: string, code: PushErrorCode): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    const why = (cause as { code?: string }).code ?? 'unreadable';
    throw new PushError(code, `${key}: ${file} cannot be read (${why})`, { key, cause });
  }
}

function privateKey(pem: string, key: string, code: PushErrorCode, what: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    // The parser's message may quote the input: it is not passed on.
    throw new PushError(code, `${key}: not a PEM private key (${what})`, { key });
  }
}

/** The APNs signing key (.p8: EC P-256, PKCS#8 PEM). */
export function readApnsKey(file: string, key = 'apns.keyFile'): KeyObject {
  const code = PushErrorCode.ApnsKeyInvalid;
  const object = privateKey(readText(file, key, code), key, code, 'an APNs .p8 key');
  const curve = object.asymmetricKeyDetails?.namedCurve;
  if (object.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    throw new PushError(code, `${key}: an APNs key is EC P-256, this one is not`, { key });
  }
  return object;
}

export interface ServiceAccount {
  readonly projectId: string;
  readonly clientEmail: string;
  readonly tokenUri: string;
  readonly privateKeyId: string | undefined;
  readonly privateKey: KeyObject;
}

/** The fields of a Google service-account key file that FCM HTTP v1 needs. */
export function readServiceAccount(file: string, key = 'fcm.serviceAccountFile'): ServiceAccount {
  const code = PushErrorCode.ServiceAccountInvalid;
  let json: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(readText(file, key, code));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error();
    json = value as Record<string, unknown>;
  } catch (error) {
    if (error instanceof PushError) throw error;
    throw new PushError(code, `${key}: not a JSON object`, { key });
  }
  const field = (name: string): string => {
    const value = json[name];
    if (typeof value !== 'string' || value === '') {
      throw new PushError(code, `${key}: the service account has no ${name}`, { key });
    }
    return value;
  };
  const privateKeyObject = privateKey(field('private_key'), key, code, 'private_key');
  if (privateKeyObject.asymmetricKeyType !== 'rsa') {
    throw new PushError(code, `${key}: private_key is not an RSA key`, { key });
  }
  const keyId = json['private_key_id'];
  return {
    projectId: field('project_id'),
    clientEmail: field('client_email'),
    tokenUri: field('token_uri'),
    privateKeyId: typeof keyId === 'string' && keyId !== '' ? keyId : undefined,
    privateKey: privateKeyObject,
  };
}

/** A CA bundle for a provider (tests point at a local server with its own certificate). */
export function readCaFile(file: string, key: string): string {
  return readText(file, key, PushErrorCode.CaFileInvalid);
}
