// B5: the router under test, in its own process (pinned by the bench), from dist/. Reads
// commands on stdin: `stats` prints heap, RSS and event-loop delay p99 as JSON; `stop` exits.
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { connectBus } from '@sipwake/bus';
import { createRouter, settingsDefaults } from '../dist/index.js';

const [port, natsUrl] = [Number(process.argv[2]), process.argv[3]];
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const bus = await connectBus({ kind: 'nats', servers: natsUrl, name: 'b5-router' });
const router = createRouter({
  bus,
  log: quiet,
  config: {
    ...settingsDefaults,
    routerId: 'b5',
    listen: [{ protocol: 'udp', address: '127.0.0.1', port }],
    stopGraceMs: 0,
  },
});
await router.start();
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line === 'stats') {
    const memory = process.memoryUsage();
    const stats = {
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      eldP99Ms: delay.percentile(99) / 1e6,
    };
    delay.reset();
    process.stdout.write(`${JSON.stringify(stats)}\n`);
  } else if (line === 'stop') {
    await router.stop();
    await bus.close();
    process.exit(0);
  }
});
process.stdout.write('ready\n');
