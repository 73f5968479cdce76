// B5: the router under test, in its own process (pinned by the bench), from dist/. Reads
// commands on stdin: `stats` prints heap, RSS and event-loop delay p99 as JSON; `stop` exits.
import { connectBus } from '@sipwake/bus';
import { createRouter, settingsDefaults } from '../dist/index.js';
import { serveStatsCommands } from './stats-commands.mjs';

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
serveStatsCommands(async () => {
  await router.stop();
  await bus.close();
});
