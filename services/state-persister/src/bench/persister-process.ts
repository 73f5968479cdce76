// B7's component: one state-persister in its own process (the orchestrator pins it to a core),
// on the bus and database it is told on argv. It answers `stats` over the IPC channel with its
// heap and event-loop delay, and stops on `stop`.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { connectBus } from '@sipwake/bus';
import { connectPostgres } from '@sipwake/db';
import { createStatePersister } from '../persister.js';

const [busUrl, databaseUrl] = process.argv.slice(2);
if (busUrl === undefined || databaseUrl === undefined) {
  throw new Error('usage: persister-process <bus-url> <database-url>');
}
const quiet = { info() {}, warn() {}, error() {} };
const db = await connectPostgres({ connectionString: databaseUrl, max: 10 });
const bus = await connectBus({ kind: 'nats', servers: busUrl, name: 'b7-persister' });
const persister = createStatePersister({ bus, db, log: quiet });
persister.start();
await bus.flush();
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

process.on('message', (message) => {
  if (message === 'stats') {
    process.send?.({
      heapMb: process.memoryUsage().heapUsed / 1024 / 1024,
      eventLoopP99Ms: delay.percentile(99) / 1e6,
    });
    delay.reset();
  } else if (message === 'stop') {
    delay.disable();
    void persister
      .stop()
      .then(() => bus.drain())
      .then(() => db.close())
      .then(() => process.exit(0));
  }
});
process.send?.('ready');
