// HTTPS for the API: the certificate and key files named by the configuration, both or neither.
// One without the other, a file that cannot be read, or a key that is not the certificate's stops
// start-up with a ConfigError naming the variable (never a file's content).
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { ConfigError, ConfigErrorCode } from '@sipwake/config';

export const TLS_CERT_VARIABLE = 'SIPWAKE_API_TLS_CERT_FILE';
export const TLS_KEY_VARIABLE = 'SIPWAKE_API_TLS_KEY_FILE';

export interface TlsFileSettings {
  readonly certFile: string;
  readonly keyFile: string;
}

/** The PEM texts fastify's `https` option takes. */
export interface TlsCredentials {
  readonly cert: Buffer;
  readonly key: Buffer;
}

async function readNamed(path: string, variable: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new ConfigError(
      ConfigErrorCode.Invalid,
      variable,
      `${variable}: the file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: error },
    );
  }
}

/** The certificate and key, or undefined when neither file is configured (plain HTTP). */
export async function loadTls(settings: TlsFileSettings): Promise<TlsCredentials | undefined> {
  const { certFile, keyFile } = settings;
  if (certFile === '' && keyFile === '') return undefined;
  if (keyFile === '') {
    throw new ConfigError(
      ConfigErrorCode.Invalid,
      TLS_KEY_VARIABLE,
      `${TLS_KEY_VARIABLE} is required when ${TLS_CERT_VARIABLE} is set (both or neither)`,
    );
  }
  if (certFile === '') {
    throw new ConfigError(
      ConfigErrorCode.Invalid,
      TLS_CERT_VARIABLE,
      `${TLS_CERT_VARIABLE} is required when ${TLS_KEY_VARIABLE} is set (both or neither)`,
    );
  }
  const cert = await readNamed(certFile, TLS_CERT_VARIABLE);
  const key = await readNamed(keyFile, TLS_KEY_VARIABLE);
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    // OpenSSL's reason (no start line, key values mismatch) names no secret.
    throw new ConfigError(
      ConfigErrorCode.Invalid,
      TLS_KEY_VARIABLE,
      `${TLS_KEY_VARIABLE} and ${TLS_CERT_VARIABLE} do not make a usable pair: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return { cert, key };
}
