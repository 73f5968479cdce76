import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import { makeSelfSignedCert } from './tls.js';

/** Opens a TLS connection to `host` and says whether the client accepted the server. */
function handshake(host: string, port: number, ca?: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, ...(ca === undefined ? {} : { ca }) });
    socket.once('secureConnect', () => {
      socket.end();
      resolve('trusted');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('makeSelfSignedCert', () => {
  it('names 127.0.0.1, ::1 and localhost and is its own trust anchor', async () => {
    const { certPem, keyPem } = await makeSelfSignedCert();
    const cert = new X509Certificate(certPem);
    expect(cert.subjectAltName?.split(', ').sort()).toEqual([
      'DNS:localhost',
      'IP Address:0:0:0:0:0:0:0:1',
      'IP Address:127.0.0.1',
    ]);
    expect(cert.checkPrivateKey(createPrivateKey(keyPem))).toBe(true);

    for (const host of ['127.0.0.1', '::1']) {
      const server = createServer({ cert: certPem, key: keyPem }, (socket) => socket.end());
      await new Promise<void>((resolve) => server.listen(0, host, resolve));
      const { port } = server.address() as AddressInfo;
      try {
        expect(await handshake(host, port, certPem)).toBe('trusted');
        expect(await handshake(host, port)).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    }
  });
});
