// B5 (BENCHMARKS.md): router forwarding by selector prefix, against a minimal Node UDP
// forwarder in the same run. In-dialog BYEs to 256 selectors (published, no ack awaited) at fixed
// rates; each row counts what reaches the sink (the shard subjects on NATS, or a UDP socket),
// latency from send to arrival, CPU of the component from /proc, its RSS, heap and event-loop
// delay, and kernel UDP receive-buffer drops. Bounded: every phase has a count and a deadline.
// Run: npm run build -w @sipwake/router && npm run bench -w @sipwake/router
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { connectBus } from '@sipwake/bus';
import { parsePrefix, subjects } from '@sipwake/contracts';

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const rates = (process.env.B5_RATES ?? '20000,40000,60000').split(',').map(Number);
const phaseSeconds = Number(process.env.B5_SECONDS ?? 3);
const selectors = Array.from({ length: 256 }, (_, i) =>
  (i.toString(16).padStart(2, '0') + 'a'.repeat(38)).slice(0, 40),
);
const ticks = () => Number(process.hrtime.bigint()) / 1e6; // ms
const clkTck = 100;

function bye(seq, port) {
  const selector = selectors[seq % selectors.length];
  return Buffer.from(
    `BYE sip:${selector}@127.0.0.1:${port} SIP/2.0\r\n` +
      `Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKb5${seq}\r\n` +
      'From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>;tag=2\r\n' +
      `Call-ID: ${seq}@b5\r\nCSeq: 2 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`,
  );
}

function seqOf(text) {
  const at = text.indexOf('Call-ID: ') + 9;
  return Number(text.slice(at, text.indexOf('@', at)));
}

function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clkTck;
}

function rcvbufErrors() {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'));
  const names = lines[0].split(/\s+/);
  return Number(lines[1].split(/\s+/)[names.indexOf('RcvbufErrors')]);
}

function startChild(script, args) {
  const child = spawn('taskset', ['-c', '1', process.execPath, script, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise((resolve) => waiting.push(resolve));
  return {
    child,
    ready: next(),
    stats: async () => {
      const line = next();
      child.stdin.write('stats\n');
      return JSON.parse(await line);
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.stdin.write('stop\n');
      }),
  };
}

function percentile(sorted, p) {
  return sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/** One phase: `rate` msgs/s for phaseSeconds, then up to 2 s for stragglers. */
async function phase(name, rate, target, sink, pid) {
  const total = rate * phaseSeconds;
  const sentAt = new Float64Array(total);
  const latencies = [];
  let received = 0;
  sink.onArrival = (seq) => {
    if (seq >= 0 && seq < total && sentAt[seq] > 0) {
      latencies.push(ticks() - sentAt[seq]);
      received += 1;
    }
  };
  const sender = dgram.createSocket('udp4');
  await new Promise((resolve) => sender.bind(0, '127.0.0.1', resolve));
  const messages = Array.from({ length: total }, (_, i) => bye(i, target));
  const cpuBefore = cpuMs(pid);
  const dropsBefore = rcvbufErrors();
  const start = ticks();
  let sent = 0;
  await new Promise((resolve) => {
    const pump = () => {
      const due = Math.min(total, Math.floor(((ticks() - start) * rate) / 1000));
      while (sent < due) {
        sentAt[sent] = ticks();
        sender.send(messages[sent], target, '127.0.0.1');
        sent += 1;
      }
      // A 1 ms timer between batches leaves this core to the sinks.
      if (sent < total) setTimeout(pump, 1);
      else resolve();
    };
    pump();
  });
  const sendEnd = ticks();
  const deadline = sendEnd + 2000;
  while (received < total && ticks() < deadline) await new Promise((r) => setTimeout(r, 20));
  const elapsedS = (ticks() - start) / 1000;
  const cpu = cpuMs(pid) - cpuBefore;
  sender.close();
  latencies.sort((a, b) => a - b);
  return {
    row: name,
    rate,
    sent: total,
    received,
    lost: total - received,
    'msgs/s': Math.round(received / ((sendEnd - start) / 1000)),
    'p50 ms': percentile(latencies, 50).toFixed(3),
    'p99 ms': percentile(latencies, 99).toFixed(3),
    'cpu %': ((cpu / 1000 / elapsedS) * 100).toFixed(0),
    'kernel drops': rcvbufErrors() - dropsBefore,
  };
}

const routerPort = 25060 + Math.floor(Math.random() * 1000);
const forwarderPort = routerPort + 1;

// Sinks: the shards' subjects on NATS (every prefix), and a UDP socket for the forwarder.
const bus = await connectBus({ kind: 'nats', servers: natsUrl, name: 'b5-sink' });
const natsSink = { onArrival: () => {} };
for (const subject of subjects.shardSubscriptions(parsePrefix('0/0'), 'sip')) {
  bus.subscribe(subject, (msg) => {
    const forward = JSON.parse(Buffer.from(msg.data).toString('utf8'));
    natsSink.onArrival(seqOf(Buffer.from(forward.message, 'base64').toString('latin1')));
  });
}
await bus.flush();
const udpSink = { onArrival: () => {} };
const sinkSocket = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 * 2 ** 20 });
sinkSocket.on('message', (data) => udpSink.onArrival(seqOf(data.toString('latin1'))));
await new Promise((resolve) => sinkSocket.bind(0, '127.0.0.1', resolve));

const router = startChild(new URL('./router-process.mjs', import.meta.url).pathname, [
  String(routerPort),
  natsUrl,
]);
const forwarder = startChild(new URL('./udp-forwarder.mjs', import.meta.url).pathname, [
  String(forwarderPort),
  String(sinkSocket.address().port),
]);
await Promise.all([router.ready, forwarder.ready]);

const rows = [];
for (const rate of rates) {
  for (const [name, child, port, sink] of [
    ['node udp forwarder', forwarder, forwarderPort, udpSink],
    ['sipwake router', router, routerPort, natsSink],
  ]) {
    const row = await phase(name, rate, port, sink, child.child.pid);
    const stats = await child.stats();
    rows.push({
      ...row,
      'rss MB': (stats.rss / 2 ** 20).toFixed(0),
      'heap MB': (stats.heapUsed / 2 ** 20).toFixed(0),
      'eld p99 ms': stats.eldP99Ms.toFixed(2),
    });
  }
}
console.log(
  `B5 ${new Date().toISOString()}: components on core 1 (taskset -c 1), generator and sinks in this process;` +
    ` ${phaseSeconds}s per phase; in-dialog BYEs to 256 selectors; router → NATS ${natsUrl}`,
);
console.table(rows);
await Promise.all([router.stop(), forwarder.stop()]);
sinkSocket.close();
await bus.close();
