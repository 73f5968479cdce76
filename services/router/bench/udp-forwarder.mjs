// B5's floor: a minimal Node UDP forwarder (every datagram to one fixed port), same commands.
import dgram from 'node:dgram';
import { serveStatsCommands } from './stats-commands.mjs';

const [port, sinkPort] = [Number(process.argv[2]), Number(process.argv[3])];
const socket = dgram.createSocket('udp4');
socket.on('message', (data) => socket.send(data, sinkPort, '127.0.0.1'));
await new Promise((resolve) => socket.bind(port, '127.0.0.1', resolve));
serveStatsCommands(() => new Promise((resolve) => socket.close(resolve)));
