// B5's floor: a minimal Node UDP forwarder (every datagram to one fixed port), same commands.
import dgram from 'node:dgram';
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const [port, sinkPort] = [Number(process.argv[2]), Number(process.argv[3])];
const socket = dgram.createSocket('udp4');
socket.on('message', (data) => socket.send(data, sinkPort, '127.0.0.1'));
await new Promise((resolve) => socket.bind(port, '127.0.0.1', resolve));
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
createInterface({ input: process.stdin }).on('line', (line) => {
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
    socket.close(() => process.exit(0));
  }
});
process.stdout.write('ready\n');
