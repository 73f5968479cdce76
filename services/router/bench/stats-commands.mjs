// B5's child-process protocol, one copy for every process under test: commands on stdin,
// `stats` prints heap, RSS and event-loop delay p99 (since the last `stats`) as one JSON line,
// `stop` calls `stop()` and exits; `ready` is printed once listening.
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Answers the bench's commands; call once the process under test is listening. */
export function serveStatsCommands(stop) {
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
      await stop();
      process.exit(0);
    }
  });
  process.stdout.write('ready\n');
}
