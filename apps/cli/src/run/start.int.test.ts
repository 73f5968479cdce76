// The embedded default: every service in one process, on the in-process bus and PGlite in a
// data folder, reached over real sockets — SIP at the router, HTTP at the registration API.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createUdpPeer, freePort, sipRequest, sipStatus, type UdpPeer } from '@sipwake/testkit';
import { startSipwake, type RunningSipwake } from './start.js';

jest.setTimeout(120_000);

let dataDir: string;
let running: RunningSipwake | undefined;
let peer: UdpPeer | undefined;
const logs: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sipwake-embedded-'));
});

afterAll(async () => {
  await peer?.close();
  await running?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function urlOf(service: string, name: string): string {
  const endpoint = running?.endpoints.find((e) => e.service === service && e.name === name);
  if (!endpoint)
    throw new Error(`no ${service} ${name} endpoint in ${JSON.stringify(running?.endpoints)}`);
  return endpoint.url;
}

it('runs every service in one process and answers SIP and HTTP', async () => {
  const sipPort = await freePort({ protocol: 'udp' });
  const logStream = new PassThrough();
  logStream.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  running = await startSipwake([], {
    env: {
      SIPWAKE_DATA_DIR: dataDir,
      SIPWAKE_METRICS_PORT: '0',
      SIPWAKE_HEALTH_PORT: '0',
      SIPWAKE_API_PORT: '0',
      SIPWAKE_SIP_LISTEN: `udp:127.0.0.1:${sipPort}`,
      SIPWAKE_SIP_PUBLIC_PORT: String(sipPort),
      SIPWAKE_LOG_LEVEL: 'warn',
    },
    logStream,
  });
  expect(running.endpoints.map((e) => e.service)).toEqual(
    expect.arrayContaining(['state-persister', 'registrar-agent', 'registration-api', 'router']),
  );
  // The key file the embedded default made for itself is readable by its owner only.
  expect((await stat(join(dataDir, 'keys.json'))).mode & 0o777).toBe(0o600);

  // The router answers a keep-alive OPTIONS addressed to itself.
  peer = await createUdpPeer();
  await peer.send(
    sipRequest({
      method: 'OPTIONS',
      uri: `sip:127.0.0.1:${sipPort}`,
      local: { address: peer.address, port: peer.port },
      from: 'sip:monitor@127.0.0.1',
      to: `sip:127.0.0.1:${sipPort}`,
    }),
    sipPort,
    '127.0.0.1',
  );
  const answer = await peer.next({ timeoutMs: 5_000, what: 'the answer to OPTIONS' });
  expect(sipStatus(answer.text)).toBe(200);

  // The API takes a hand-over and the instance is there when read back with its token.
  const api = urlOf('registration-api', 'api');
  const created = await fetch(`${api}/instances`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      account: {
        username: 'alice',
        domain: 'example.com',
        password: 'correct horse battery',
        registrar: 'sip:127.0.0.1:9',
      },
      device: {
        id: 'phone-1',
        appId: 'com.example.phone',
        platform: 'ios',
        pushProvider: 'apns',
        token: 'a1b2c3d4',
      },
    }),
  });
  expect(created.status).toBe(201);
  const body = (await created.json()) as { selector: string; instanceToken: string };
  const read = await fetch(`${api}/instances/${body.selector}`, {
    headers: { authorization: `Bearer ${body.instanceToken}` },
  });
  expect(read.status).toBe(200);
  expect(logs.join('')).not.toContain('correct horse battery');

  await running.stop();
  running = undefined;
});
