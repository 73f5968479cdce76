// A throw-away self-signed certificate for TLS/WSS tests, made with the openssl command.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  /** PEM private key (P-256). */
  readonly key: string;
  /** PEM certificate, also its own trust anchor (pass it as `ca`). */
  readonly cert: string;
  /** The directory holding key.pem and cert.pem. */
  readonly dir: string;
  /** Removes the directory. */
  remove(): void;
}

export interface TestCertificateOptions {
  readonly commonName?: string;
  /** subjectAltName entries (default: localhost, 127.0.0.1, ::1). */
  readonly altNames?: readonly string[];
}

export function makeTestCertificate(options: TestCertificateOptions = {}): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'sipwake-cert-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const altNames = options.altNames ?? ['DNS:localhost', 'IP:127.0.0.1', 'IP:::1'];
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-days',
        '2',
        '-subj',
        `/CN=${options.commonName ?? 'localhost'}`,
        '-addext',
        `subjectAltName=${altNames.join(',')}`,
      ],
      { stdio: 'pipe' },
    );
    return {
      key: readFileSync(keyPath, 'utf8'),
      cert: readFileSync(certPath, 'utf8'),
      dir,
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
