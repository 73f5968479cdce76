// A throw-away TLS identity for a test server (a local push provider, a SIP TLS/WSS listener,
// an HTTPS API): a self-signed certificate for 127.0.0.1, ::1 and localhost, made by openssl in
// a temp dir. The certificate is its own CA: a client given it as `ca` trusts the server and
// nothing else.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { PeerStartError } from './errors.js';
import { makeTempDir, removeDir } from './files.js';

const run = promisify(execFile);

export interface TlsIdentity {
  readonly certPem: string;
  readonly keyPem: string;
}

/** A P-256 key and a one-day self-signed certificate (subjectAltName IP:127.0.0.1, IP:::1, DNS:localhost). */
export async function makeSelfSignedCert(commonName = 'localhost'): Promise<TlsIdentity> {
  const dir = await makeTempDir('tls');
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  try {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ]);
    const [certPem, keyPem] = await Promise.all([
      readFile(certFile, 'utf8'),
      readFile(keyFile, 'utf8'),
    ]);
    return { certPem, keyPem };
  } catch (cause) {
    const stderr = (cause as { stderr?: string }).stderr ?? '';
    throw new PeerStartError('openssl', 'could not make a self-signed certificate', stderr, {
      cause,
    });
  } finally {
    await removeDir(dir);
  }
}
