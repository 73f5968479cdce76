// Node TLS options from the transport's TlsOptions, for listeners and for connections we open.
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import type { ConnectionOptions, TlsOptions as NodeTlsOptions } from 'node:tls';
import type { TlsOptions } from './options.js';

function ca(tls: TlsOptions | undefined): NodeTlsOptions['ca'] {
  if (tls?.ca === undefined) return undefined;
  return Array.isArray(tls.ca) ? [...(tls.ca as (string | Buffer)[])] : (tls.ca as string | Buffer);
}

export function serverTlsOptions(tls: TlsOptions | undefined): NodeTlsOptions {
  return { key: tls?.key, cert: tls?.cert, ca: ca(tls) };
}

/**
 * Client options: our certificate when we have one, the trust anchors, and the name checked
 * against the server's certificate — `serverName` when given (sent as SNI unless it is an IP
 * literal, RFC 6066 §3), else the address connected to.
 */
export function clientTlsOptions(
  tls: TlsOptions | undefined,
  serverName: string | undefined,
): ConnectionOptions {
  const options: ConnectionOptions = {
    ca: ca(tls),
    rejectUnauthorized: tls?.rejectUnauthorized ?? true,
  };
  if (tls?.key && tls.cert) {
    options.key = tls.key;
    options.cert = tls.cert;
  }
  if (serverName !== undefined) {
    if (isIP(serverName) === 0) options.servername = serverName;
    options.checkServerIdentity = (_host, cert) => checkServerIdentity(serverName, cert);
  }
  return options;
}
