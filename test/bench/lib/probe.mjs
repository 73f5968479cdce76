// Loaded into a sipwake service process by the benchmarks (`node --expose-gc --import …`): on
// a message over the IPC channel it answers the process's V8 heap (after a full GC when asked,
// with a heap snapshot written when asked) and its event-loop delay since the last reset. Nothing here runs without an IPC channel, and
// the channel never keeps the process alive.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';

if (typeof process.send === 'function') {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  process.on('message', (message) => {
    if (message === null || typeof message !== 'object' || message.probe === undefined) return;
    if (message.gc === true && typeof globalThis.gc === 'function') globalThis.gc();
    // A heap snapshot to read in DevTools (what holds the memory per instance).
    if (typeof message.snapshot === 'string') v8.writeHeapSnapshot(message.snapshot);
    const heap = v8.getHeapStatistics();
    const memory = process.memoryUsage();
    process.send({
      probe: message.probe,
      heapUsedBytes: heap.used_heap_size,
      heapTotalBytes: heap.total_heap_size,
      externalBytes: memory.external,
      arrayBuffersBytes: memory.arrayBuffers,
      rssBytes: memory.rss,
      eventLoopP99Ms: delay.percentile(99) / 1e6,
      eventLoopMaxMs: delay.max / 1e6,
    });
    if (message.reset === true) delay.reset();
  });
  process.channel?.unref();
}
