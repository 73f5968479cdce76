// B9: push-notifier against local APNs and FCM servers (HTTP/2, TLS, 1 % 429, 0.5 % 410).
// The servers run in a child process on core 0; the notifier (this process) on core 1, driven
// through the in-process bus with a bounded number of requests in flight. The baseline row is a
// bare node:http2 client with one pre-signed provider token sending the same APNs pushes (the
// floor: no schema, no retries, no spans). @parse/node-apn and firebase-admin, the peers
// BENCHMARKS.md names, are not installed here. Every phase is bounded in count and time.
// Run: npm run bench -w @sipwake/push-notifier (builds dist first).
import { spawn, execFileSync } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInProcessBus } from '../../../libs/bus/dist/index.js';
import { loadConfig } from '../../../libs/config/dist/index.js';
import {
  decodeReply,
  encodeMessage,
  PushRequest,
  PushResults,
  subjects,
} from '../../../libs/contracts/dist/index.js';
import { configSchema, createPushNotifier } from '../dist/index.js';

const total = Number(process.env.BENCH_PUSHES ?? 20_000);
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 200);
const phaseMs = Number(process.env.BENCH_PHASE_MS ?? 15_000);

function pin(core) {
  try {
    execFileSync('taskset', ['-pc', String(core), String(process.pid)], { stdio: 'ignore' });
    return `core ${core}`;
  } catch {
    return 'unpinned';
  }
}
const pinned = pin(1);

const child = spawn(
  'taskset',
  ['-c', '0', process.execPath, path.join(import.meta.dirname, 'servers.mjs')],
  {
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
const peers = await new Promise((resolve, reject) => {
  let text = '';
  child.stdout.on('data', (chunk) => {
    text += chunk;
    const line = text.split('\n')[0];
    if (text.includes('\n')) resolve(JSON.parse(line));
  });
  child.once('exit', (code) => reject(new Error(`servers exited ${code}`)));
});

const dir = mkdtempSync(path.join(tmpdir(), 'sipwake-b9-'));
const file = (name, content) => {
  const p = path.join(dir, name);
  writeFileSync(p, content, { mode: 0o600 });
  return p;
};
const config = loadConfig(configSchema, {
  env: {
    SIPWAKE_APNS_BASE_URL: peers.apns.url,
    SIPWAKE_APNS_KEY_FILE: file('key.p8', peers.apnsKey.privateKeyPem),
    SIPWAKE_APNS_KEY_ID: peers.apnsKey.keyId,
    SIPWAKE_APNS_TEAM_ID: peers.apnsKey.teamId,
    SIPWAKE_APNS_CA_FILE: file('apns.pem', peers.apns.ca),
    SIPWAKE_FCM_BASE_URL: peers.fcm.url,
    SIPWAKE_FCM_SERVICE_ACCOUNT_FILE: file('sa.json', JSON.stringify(peers.account)),
    SIPWAKE_FCM_TOKEN_URI: peers.fcm.tokenUri,
    SIPWAKE_FCM_CA_FILE: file('fcm.pem', peers.fcm.ca),
    SIPWAKE_PUSH_RETRY_BASE_DELAY_MS: '20',
    SIPWAKE_PUSH_RETRY_MAX_DELAY_MS: '200',
  },
});
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const selector = 'ab'.repeat(20);
const hex = (n) => n.toString(16).padStart(64, '0');
const device = (provider, n) =>
  provider === 'apns'
    ? {
        deviceId: `d${n}`,
        provider,
        token: hex(n),
        voipToken: hex(n + 1e9),
        appId: peers.bundle,
        platform: 'ios',
      }
    : { deviceId: `d${n}`, provider, token: `fcm-${n}`, appId: peers.bundle, platform: 'android' };
const request = (provider, n) =>
  encodeMessage(PushRequest, {
    type: 'call',
    selector,
    callId: `call-${n}`,
    caller: { uri: 'sip:bob@example.test', displayName: 'Bob' },
    host: 's-a.example.test',
    devices: [device(provider, n)],
  });

function percentile(sorted, p) {
  return sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Runs `send(n)` for n < total with `inFlight` at once, bounded by phaseMs. */
async function phase(name, send) {
  const latencies = [];
  const outcomes = {};
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < total && performance.now() - started < phaseMs) {
      const n = next++;
      const t0 = performance.now();
      try {
        const outcome = await send(n);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      } catch {
        failures += 1;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  eld.disable();
  latencies.sort((a, b) => a - b);
  const mem = process.memoryUsage();
  return {
    name,
    pushes: latencies.length,
    'pushes/s': Math.round(latencies.length / seconds),
    'p50 ms': percentile(latencies, 0.5).toFixed(2),
    'p99 ms': percentile(latencies, 0.99).toFixed(2),
    'cpu %': Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 100),
    'rss MB': Math.round(mem.rss / 2 ** 20),
    'heap MB': Math.round(mem.heapUsed / 2 ** 20),
    'eld p99 ms': (eld.percentile(99) / 1e6).toFixed(1),
    failures,
    outcomes: JSON.stringify(outcomes),
  };
}

// Baseline: bare node:http2, one pre-signed ES256 token, the same VoIP push.
function bareApns() {
  const session = http2.connect(peers.apns.url, { ca: peers.apns.ca });
  const part = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${part({ alg: 'ES256', kid: peers.apnsKey.keyId })}.${part({ iss: peers.apnsKey.teamId, iat: Math.floor(Date.now() / 1000) })}`;
  const jwt = `${input}.${sign('sha256', Buffer.from(input), { key: createPrivateKey(peers.apnsKey.privateKeyPem), dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  const payload = JSON.stringify({ sipwake: { type: 'call', selector, host: 's-a.example.test' } });
  return {
    send: (n) =>
      new Promise((resolve, reject) => {
        const stream = session.request({
          ':method': 'POST',
          ':path': `/3/device/${hex(n + 1e9)}`,
          authorization: `bearer ${jwt}`,
          'apns-topic': `${peers.bundle}.voip`,
          'apns-push-type': 'voip',
          'apns-priority': '10',
        });
        let status = 0;
        stream.on('response', (h) => (status = h[':status']));
        stream.on('data', () => {});
        stream.on('end', () => resolve(String(status)));
        stream.on('error', reject);
        stream.end(payload);
      }),
    close: () => session.close(),
  };
}

const bus = createInProcessBus({ requestTimeoutMs: 30_000 });
const notifier = createPushNotifier({ bus, config, log: quiet });
notifier.start();
const viaNotifier = (provider) => async (n) => {
  const reply = await bus.request(subjects.push, request(provider, n), { timeoutMs: 30_000 });
  const decoded = decodeReply(PushResults, reply.data);
  if (!decoded.ok) throw new Error(decoded.error.code);
  return decoded.value.results[0].outcome;
};

const rows = [];
const bare = bareApns();
await phase('warm-up', viaNotifier('apns'));
rows.push(await phase('bare node:http2 → APNs (floor)', bare.send));
rows.push(await phase('push-notifier → APNs', viaNotifier('apns')));
rows.push(await phase('push-notifier → FCM', viaNotifier('fcm')));
bare.close();
const stats = notifier.stats();
await notifier.stop();
await bus.close();
child.stdin.end();
await new Promise((resolve) => child.once('exit', resolve));
rmSync(dir, { recursive: true, force: true });

console.log(
  `B9 push-notifier: ${total} pushes per phase, ${inFlight} requests in flight, ≤ ${phaseMs} ms per phase`,
);
console.log(
  `notifier ${pinned}, local APNs/FCM servers core 0; 1 % 429 and 0.5 % 410/UNREGISTERED (seeded)`,
);
console.table(rows);
console.log(
  `notifier connections ${JSON.stringify(stats.connections)}, APNs provider tokens signed ${stats.apnsTokensSigned}, FCM access tokens granted ${stats.fcmTokensGranted}`,
);
