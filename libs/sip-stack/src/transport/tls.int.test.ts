import { makeSelfSignedCert } from '@sipwake/testkit';
import type { TlsIdentity } from '@sipwake/testkit';
import { sipRequest, sipResponse } from '../test-support/sip-text.js';
import { createTestTransports } from '../test-support/test-transports.js';
import type { TlsOptions } from './options.js';
import { responseTarget } from './via.js';

let certificate: TlsIdentity;
const transports = createTestTransports();

beforeAll(async () => {
  certificate = await makeSelfSignedCert();
});
afterEach(async () => {
  await transports.stopAll();
});

const tlsTransport = (address: string, tls?: TlsOptions) =>
  transports.listen('tls', address, {
    tls: tls ?? { key: certificate.keyPem, cert: certificate.certPem, ca: certificate.certPem },
  });

describe.each([
  ['IPv4', '127.0.0.1'],
  ['IPv6', '::1'],
])('TLS on %s', (_family, address) => {
  it('carries a request out and its response back on the same connection', async () => {
    const a = await tlsTransport(address);
    const b = await tlsTransport(address);
    const sent = await a.transport.send(
      { protocol: 'tls', address, port: b.port },
      sipRequest({ callId: 'tls-1' }),
    );
    const request = await b.probe.nextMessage();
    expect(request.message.callId()).toBe('tls-1');
    expect(request.flow).toMatchObject({ protocol: 'tls', remote: { port: sent.local.port } });

    await b.transport.send(
      responseTarget(request.message.topVia(), request.flow),
      sipResponse({ callId: 'tls-1' }),
    );
    const response = await a.probe.nextMessage();
    expect(response.message.callId()).toBe('tls-1');
    expect(response.flow.connectionId).toBe(sent.connectionId);
  });

  it('carries a request the other way', async () => {
    const a = await tlsTransport(address);
    const b = await tlsTransport(address);
    await b.transport.send(
      { protocol: 'tls', address, port: a.port },
      sipRequest({ callId: 'b-a' }),
    );
    expect((await a.probe.nextMessage()).message.callId()).toBe('b-a');
  });
});

describe('TLS certificates', () => {
  it('checks the certificate against the server name given', async () => {
    const b = await tlsTransport('127.0.0.1');
    const a = await tlsTransport('127.0.0.1');
    await a.transport.send(
      { protocol: 'tls', address: '127.0.0.1', port: b.port, serverName: 'localhost' },
      sipRequest({ callId: 'sni' }),
    );
    expect((await b.probe.nextMessage()).message.callId()).toBe('sni');
    const wrongName = a.transport.send(
      { protocol: 'tls', address: '127.0.0.1', port: b.port, serverName: 'sip.example.com' },
      sipRequest(),
    );
    // A connection checked for another name is not reused: this one is checked, and fails.
    await expect(wrongName).rejects.toMatchObject({ code: 'CONNECT_FAILED' });
  });

  it('refuses a server it does not trust with CONNECT_FAILED', async () => {
    const b = await tlsTransport('127.0.0.1');
    const untrusting = await tlsTransport('127.0.0.1', {
      key: certificate.keyPem,
      cert: certificate.certPem,
    });
    await expect(
      untrusting.transport.send(
        { protocol: 'tls', address: '127.0.0.1', port: b.port },
        sipRequest(),
      ),
    ).rejects.toMatchObject({ code: 'CONNECT_FAILED', retryable: true });
    expect(b.probe.messages).toHaveLength(0);
  });
});
