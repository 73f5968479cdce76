// HTTPS: a self-signed pair from testkit written to files, a real HTTPS hand-over on a loopback
// port, and the start-up errors of a half or broken TLS configuration.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createInProcessBus } from '@sipwake/bus';
import { ConfigError, loadConfig } from '@sipwake/config';
import { makeSelfSignedCert } from '@sipwake/testkit';
import { configSchema } from './config.js';
import { createThrowawayStore, handOverBody, PASSWORD } from './test-support/fixtures.js';
import type { ThrowawayStore } from './test-support/fixtures.js';
import { startApi } from './test-support/harness.js';
import { loadTls } from './tls.js';

const run = promisify(execFile);
let dir: string;
let certFile: string;
let keyFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sipwake-api-tls-'));
  certFile = join(dir, 'cert.pem');
  keyFile = join(dir, 'key.pem');
  const identity = await makeSelfSignedCert();
  await writeFile(certFile, identity.certPem);
  await writeFile(keyFile, identity.keyPem);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The TLS settings as main.ts reads them from the environment. */
function tlsSettings(env: Record<string, string>) {
  return loadConfig(configSchema, { env }).api.tls;
}

interface Answer {
  status: number;
  body: string;
}

function send(
  request: typeof httpsRequest | typeof httpRequest,
  port: number,
  options: { method: string; path: string; body?: string; ca?: Buffer },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method,
        path: options.path,
        headers: options.body === undefined ? {} : { 'content-type': 'application/json' },
        timeout: 10_000,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('HTTPS', () => {
  let store: ThrowawayStore;
  beforeAll(async () => {
    store = await createThrowawayStore();
  });
  afterAll(async () => {
    await store.drop();
  });

  it('serves the hand-over over HTTPS with the configured certificate, and refuses plain HTTP', async () => {
    const tls = await loadTls(
      tlsSettings({ SIPWAKE_API_TLS_CERT_FILE: certFile, SIPWAKE_API_TLS_KEY_FILE: keyFile }),
    );
    expect(tls).toBeDefined();
    const bus = createInProcessBus();
    const { app } = await startApi(store, bus, { tls: tls! });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.address() as AddressInfo;
      const ca = tls!.cert;
      const health = await send(httpsRequest, port, { method: 'GET', path: '/healthz', ca });
      expect(health).toEqual({ status: 200, body: '{"status":"up"}' });
      const res = await send(httpsRequest, port, {
        method: 'POST',
        path: '/v1/instances',
        body: JSON.stringify(handOverBody()),
        ca,
      });
      expect(res.status).toBe(201);
      expect(JSON.parse(res.body)).toMatchObject({ state: 'registering' });
      expect(res.body).not.toContain(PASSWORD);
      // The certificate is the one presented: without it as a trust anchor the client refuses.
      await expect(send(httpsRequest, port, { method: 'GET', path: '/healthz' })).rejects.toThrow(
        /self[- ]signed/i,
      );
      // No plain-HTTP answer on the HTTPS port.
      const plain = await send(httpRequest, port, { method: 'GET', path: '/healthz' }).then(
        (a) => a.status,
        () => 'refused',
      );
      expect(plain).not.toBe(200);
    } finally {
      await app.close();
      await bus.close();
    }
  });
});

describe('TLS configuration', () => {
  it('is plain HTTP when neither file is set', async () => {
    await expect(loadTls(tlsSettings({}))).resolves.toBeUndefined();
  });

  it.each([
    ['the certificate without the key', 'SIPWAKE_API_TLS_CERT_FILE', 'SIPWAKE_API_TLS_KEY_FILE'],
    ['the key without the certificate', 'SIPWAKE_API_TLS_KEY_FILE', 'SIPWAKE_API_TLS_CERT_FILE'],
  ])('refuses %s, naming the missing variable', async (_name, given, missing) => {
    const settings = tlsSettings({ [given]: given.includes('CERT') ? certFile : keyFile });
    const error = await loadTls(settings).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', key: missing });
    expect((error as Error).message).toContain(missing);
  });

  it('refuses an unreadable file and a key that is not the certificate’s, naming the variable', async () => {
    const missing = await loadTls(
      tlsSettings({
        SIPWAKE_API_TLS_CERT_FILE: join(dir, 'absent.pem'),
        SIPWAKE_API_TLS_KEY_FILE: keyFile,
      }),
    ).catch((e: unknown) => e);
    expect(missing).toMatchObject({ key: 'SIPWAKE_API_TLS_CERT_FILE' });
    const otherKey = join(dir, 'other-key.pem');
    await run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', otherKey]);
    const mismatched = await loadTls(
      tlsSettings({ SIPWAKE_API_TLS_CERT_FILE: certFile, SIPWAKE_API_TLS_KEY_FILE: otherKey }),
    ).catch((e: unknown) => e);
    expect(mismatched).toMatchObject({ key: 'SIPWAKE_API_TLS_KEY_FILE' });
    const garbage = join(dir, 'garbage.pem');
    await writeFile(garbage, 'not a key');
    const unreadable = await loadTls(
      tlsSettings({ SIPWAKE_API_TLS_CERT_FILE: certFile, SIPWAKE_API_TLS_KEY_FILE: garbage }),
    ).catch((e: unknown) => e);
    expect(unreadable).toMatchObject({ key: 'SIPWAKE_API_TLS_KEY_FILE' });
    expect((unreadable as Error).message).not.toContain('not a key');
  });
});
